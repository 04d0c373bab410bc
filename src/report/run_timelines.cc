#include "report/run_timelines.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "measure/op_type.h"
#include "report/json_field.h"
#include "report/summary.h"

namespace tikvbench::report {
namespace {

constexpr double kGap = std::numeric_limits<double>::quiet_NaN();
// Markers per chart: beyond it, a page with several charts would grow to
// megabytes; the events table says how many there were.
constexpr size_t kMaxEventMarkers = 1000;

}  // namespace

using nlohmann::json;

std::vector<std::string> op_names(const json& run) {
  std::vector<std::string> seen;
  const auto add = [&](const json* ops) {
    if (ops == nullptr || !ops->is_object()) return;
    for (const auto& [name, _] : ops->items())
      if (std::find(seen.begin(), seen.end(), name) == seen.end()) seen.push_back(name);
  };
  add(field(&run, "ops"));
  for (const auto& interval : items(field(&run, "intervals"))) add(field(&interval, "ops"));
  return in_report_order(std::move(seen));
}

std::vector<std::string> in_report_order(std::vector<std::string> names) {
  std::vector<std::string> out;
  for (const auto known : measure::kOpTypeNames)
    if (std::find(names.begin(), names.end(), known) != names.end()) out.emplace_back(known);
  std::sort(names.begin(), names.end());
  for (auto& name : names)
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  return out;
}

std::vector<Band> phase_bands(const json& run) {
  std::vector<Band> bands;
  double end = 0;
  for (const auto& phase : items(field(&run, "phases"))) {
    double start = number(&phase, "start_s");
    if (!std::isfinite(start)) start = end;
    const double duration = number(&phase, "duration_s");
    if (!(duration > 0)) continue;
    std::string name = text(&phase, "name");
    if (name.empty()) name = fmt::format("phase {}", bands.size() + 1);
    const bool warmup = text(&phase, "warmup") == "true";
    bands.push_back({start, start + duration, warmup ? name + " (warm-up)" : name, warmup});
    end = start + duration;
  }
  if (!bands.empty()) {
    // After the last phase, the drain: operations in flight finishing.
    double drain_from = kGap, drain_to = kGap;
    double previous_t = 0;
    for (const auto& interval : items(field(&run, "intervals"))) {
      const double t = number(&interval, "t");
      if (!std::isfinite(t)) continue;
      const double length = number(&interval, "length_s");
      if (text(&interval, "drain") == "true") {
        if (!std::isfinite(drain_from)) drain_from = length > 0 ? t - length : previous_t;
        drain_to = t;
      }
      previous_t = t;
    }
    if (std::isfinite(drain_from) && drain_to > drain_from) bands.push_back({drain_from, drain_to, "drain", true});
    return bands;
  }
  // No phase list (a partial run): runs of intervals with the same phase name.
  double previous_t = 0;
  for (const auto& interval : items(field(&run, "intervals"))) {
    const double t = number(&interval, "t");
    if (!std::isfinite(t)) continue;
    const double length = number(&interval, "length_s");
    const double start = length > 0 ? t - length : previous_t;
    previous_t = t;
    const std::string name = text(&interval, "phase");
    if (name.empty()) continue;
    const bool warmup = text(&interval, "warmup") == "true";
    const std::string label = warmup ? name + " (warm-up)" : name;
    if (!bands.empty() && bands.back().label == label) {
      bands.back().to = t;
    } else {
      bands.push_back({start, t, label, warmup});
    }
  }
  return bands;
}

Timelines timelines(const json& run, const std::vector<std::string>& ops) {
  Timelines out;
  double previous_t = 0;
  for (const auto& interval : items(field(&run, "intervals"))) {
    const double t = number(&interval, "t");
    if (!std::isfinite(t)) continue;
    double length = number(&interval, "length_s");
    if (!(length > 0)) length = t - previous_t;
    previous_t = t;
    const json* interval_ops = field(&interval, "ops");
    double total = 0, total_errors = 0;
    for (const auto& op : ops) {
      const json* o = field(interval_ops, op);
      const double count = std::isfinite(number(o, "count")) ? number(o, "count") : 0;
      const double errors = std::isfinite(number(o, "errors")) ? number(o, "errors") : 0;
      auto& line = out.ops[op];
      // Completed operations, successes and failures, as every rate.
      line.rate.push_back({t, length > 0 ? (count + errors) / length : kGap});
      line.errors.push_back({t, length > 0 ? errors / length : kGap});
      line.p50.push_back({t, number(o, "p50_us")});
      line.p99.push_back({t, number(o, "p99_us")});
      line.p999.push_back({t, number(o, "p999_us")});
      line.max.push_back({t, number(o, "max_us")});
      line.total_errors += errors;
      total += count + errors, total_errors += errors;
    }
    out.total_rate.push_back({t, length > 0 ? total / length : kGap});
    out.total_errors.push_back({t, length > 0 ? total_errors / length : kGap});
    out.target.push_back({t, number(&interval, "target_ops_per_sec")});
    const json* retries = field(&interval, "retries_by_kind");
    if (retries != nullptr && retries->is_object()) {
      for (const auto& [kind, n] : retries->items()) {
        auto& points = out.retries[kind];
        // A kind first seen now was 0 before.
        if (points.empty() && out.total_rate.size() > 1) points.push_back({out.total_rate.front().x, 0});
        points.push_back({t, length > 0 && n.is_number() ? n.get<double>() / length : kGap});
      }
    }
    for (auto& [kind, points] : out.retries) {
      if (points.empty() || points.back().x != t) points.push_back({t, 0});
    }
  }
  return out;
}

std::vector<Marker> event_markers(const json& run) {
  std::vector<Marker> markers;
  for (const auto& event : items(field(&run, "events"))) {
    if (markers.size() == kMaxEventMarkers) break;
    const double t = number(&event, "t");
    if (!std::isfinite(t)) continue;
    const double store = number(&event, "store"), count = number(&event, "count");
    const Event seen{std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(t)),
                     text(&event, "kind"), std::isfinite(store) ? static_cast<uint64_t>(store) : 0,
                     text(&event, "detail"), std::isfinite(count) ? static_cast<uint64_t>(count) : 1};
    markers.push_back({t, event_text(seen)});
  }
  return markers;
}

std::vector<Alert> slo_alerts(const json& run) {
  std::vector<Alert> alerts;
  for (const auto& range : items(field(field(&run, "availability"), "broken_ranges"))) {
    if (!range.is_array() || range.size() < 2) continue;
    const double from = number(&range[0]), to = number(&range[1]);
    if (std::isfinite(from) && std::isfinite(to)) {
      alerts.push_back({from, to, fmt::format("{:.1f}s-{:.1f}s: the SLO was broken", from, to)});
    }
  }
  return alerts;
}

std::map<std::string, std::vector<Point>> store_p99(const json& run, const std::string& store) {
  std::map<std::string, std::vector<Point>> lines;
  for (const auto& interval : items(field(&run, "intervals"))) {
    const double t = number(&interval, "t");
    if (!std::isfinite(t)) continue;
    const json* ops = field(field(&interval, "stores"), store);
    if (ops == nullptr || !ops->is_object()) continue;
    for (const auto& [op, figures] : ops->items()) {
      const double p99 = number(&figures, "p99_us");
      lines[op].push_back({t, p99 > 0 ? p99 : kGap});
    }
  }
  return lines;
}

}  // namespace tikvbench::report
