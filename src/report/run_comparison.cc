#include "report/run_comparison.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "report/json_field.h"
#include "report/run_timelines.h"
#include "report/svg_chart.h"

namespace tikvbench::report {
namespace {

using nlohmann::json;

constexpr double kNoFigure = std::numeric_limits<double>::quiet_NaN();

// A row's metric: its name, its key in latency_us {...} and in an
// interval's op record ("" for the rate, computed from the counts).
struct MetricKeys {
  std::string_view name, total_key, interval_key;
};
constexpr std::array<MetricKeys, 6> kComparedMetrics{{
    {"ops/s", "", ""},
    {"error%", "", ""},
    {"p50", "p50", "p50_us"},
    {"p90", "p90", "p90_us"},
    {"p99", "p99", "p99_us"},
    {"p99.9", "p999", "p999_us"},
}};

constexpr size_t kRateMetric = 0;
constexpr size_t kErrorMetric = 1;

// Per operation type and metric (kComparedMetrics' order), the samples.
using MetricSamples = std::array<std::vector<double>, kComparedMetrics.size()>;

struct RunSamples {
  std::map<std::string, MetricSamples> ops;
  size_t intervals = 0;
};

// The intervals of the measured phases, not cut to a stub.
std::vector<const json*> measured_intervals(const json& run) {
  std::vector<const json*> measured;
  std::vector<double> lengths;
  for (const auto& interval : items(field(&run, "intervals"))) {
    const double length = number(&interval, "length_s");
    if (!(length > 0) || text(&interval, "warmup") == "true" || text(&interval, "drain") == "true") continue;
    measured.push_back(&interval);
    lengths.push_back(length);
  }
  if (lengths.empty()) return measured;
  std::nth_element(lengths.begin(), lengths.begin() + lengths.size() / 2, lengths.end());
  const double half_median = lengths[lengths.size() / 2] / 2;
  std::erase_if(measured, [&](const json* interval) { return number(interval, "length_s") < half_median; });
  return measured;
}

RunSamples samples_of(const json& run, const std::vector<std::string>& ops) {
  RunSamples out;
  const auto intervals = measured_intervals(run);
  out.intervals = intervals.size();
  for (const auto* interval : intervals) {
    const double length = number(interval, "length_s");
    for (const auto& op : ops) {
      auto& samples = out.ops[op];
      const json* record = field(field(interval, "ops"), op);
      const double count = record ? number(record, "count") : 0;
      const double errors = record ? number(record, "errors") : 0;
      const double done = (std::isfinite(count) ? count : 0) + (std::isfinite(errors) ? errors : 0);
      // An interval without the type completed none of it: 0 ops/s.
      samples[kRateMetric].push_back(done / length);
      if (done > 0) samples[kErrorMetric].push_back(100 * (std::isfinite(errors) ? errors : 0) / done);
      if (!(count > 0)) continue;  // no successes, no latency
      for (size_t m = kErrorMetric + 1; m < kComparedMetrics.size(); ++m) {
        const double value = number(record, kComparedMetrics[m].interval_key);
        if (std::isfinite(value)) samples[m].push_back(value);
      }
    }
  }
  return out;
}

double whole_run_figure(const json& run, const std::string& op, const MetricKeys& metric) {
  const json* entry = field(field(&run, "ops"), op);
  if (metric.name == kComparedMetrics[kRateMetric].name) return entry ? number(entry, "ops_per_sec") : kNoFigure;
  if (metric.name == kComparedMetrics[kErrorMetric].name) {
    const double count = number(entry, "count"), errors = number(entry, "errors");
    return std::isfinite(count) && std::isfinite(errors) && count + errors > 0 ? 100 * errors / (count + errors)
                                                                                : kNoFigure;
  }
  const json* latency = field(entry, "intended_latency_us");
  if (latency == nullptr) latency = field(entry, "latency_us");
  return number(latency, metric.total_key);
}

Status check_run(const ComparedRun& run) {
  const auto& doc = run.document;
  if (!doc.is_object() || (field(&doc, "ops") == nullptr && field(&doc, "intervals") == nullptr)) {
    return {StatusCode::kInvalidArgument, fmt::format("{}: not a tikv-bench run (no ops, no intervals)", run.name)};
  }
  if (measured_intervals(doc).empty()) {
    return {StatusCode::kInvalidArgument,
            fmt::format("{}: no measured intervals to compare (its \"intervals\" hold none outside warm-up and drain)",
                        run.name)};
  }
  return {};
}

RunHeadline headline_of(const ComparedRun& run, size_t intervals) {
  return {run.name, text(field(&run.document, "workload"), "name"), text(&run.document, "started_at"),
          number(&run.document, "duration_s"), intervals};
}

std::string change_text(const ComparisonRow& row) {
  if (!row.significant) return "~";
  if (std::isnan(row.change_pct)) return "-";
  return fmt::format("{:+.2f}%", row.change_pct);
}

json finite_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string row_name(const ComparisonRow& row) { return row.op + " " + row.metric; }

}  // namespace

std::string compared_figure(const ComparisonRow& row, double value) {
  if (!std::isfinite(value)) return "-";
  if (row.error_rate) return fmt::format("{:.2f}%", value);
  return row.higher_is_better ? fmt::format("{:.1f}", value) : format_value(value, AxisUnit::kMicros);
}

Result<Comparison> compare_runs(const ComparedRun& a, const ComparedRun& b, double alpha) {
  assert(alpha > 0 && alpha < 1);
  if (auto status = check_run(a); !status.ok()) return status;
  if (auto status = check_run(b); !status.ok()) return status;
  const auto ops_a = op_names(a.document);
  const auto ops_b = op_names(b.document);
  const auto samples_a = samples_of(a.document, ops_a);
  const auto samples_b = samples_of(b.document, ops_b);
  Comparison out;
  out.alpha = alpha;
  out.a = headline_of(a, samples_a.intervals);
  out.b = headline_of(b, samples_b.intervals);
  std::vector<std::string> all = ops_a;
  for (const auto& op : ops_b)
    if (std::find(all.begin(), all.end(), op) == all.end()) all.push_back(op);
  for (const auto& op : in_report_order(all)) {
    const bool in_a = std::find(ops_a.begin(), ops_a.end(), op) != ops_a.end();
    const bool in_b = std::find(ops_b.begin(), ops_b.end(), op) != ops_b.end();
    if (!in_b) out.only_in_a.push_back(op);
    if (!in_a) out.only_in_b.push_back(op);
    if (!in_a || !in_b) continue;
    for (size_t m = 0; m < kComparedMetrics.size(); ++m) {
      ComparisonRow row;
      row.op = op;
      row.metric = std::string(kComparedMetrics[m].name);
      row.higher_is_better = m == kRateMetric;
      row.error_rate = m == kErrorMetric;
      row.a = whole_run_figure(a.document, op, kComparedMetrics[m]);
      row.b = whole_run_figure(b.document, op, kComparedMetrics[m]);
      const bool figures = std::isfinite(row.a) && std::isfinite(row.b);
      row.change_pct = figures && row.a != 0                        ? (row.b - row.a) / row.a * 100
                       : figures && row.b == row.a                  ? 0.0
                       : figures && row.error_rate && row.b > row.a ? std::numeric_limits<double>::infinity()
                                                                    : kNoFigure;
      row.test = mann_whitney_u(samples_a.ops.at(op)[m], samples_b.ops.at(op)[m]);
      row.significant = row.test.p_value < alpha;
      row.worse = row.significant && !std::isnan(row.change_pct) &&
                  (row.higher_is_better ? row.change_pct < 0 : row.change_pct > 0);
      out.rows.push_back(std::move(row));
    }
  }
  return out;
}

std::vector<const ComparisonRow*> regressions(const Comparison& comparison, double bound_pct) {
  std::vector<const ComparisonRow*> out;
  for (const auto& row : comparison.rows)
    if (row.beyond(bound_pct)) out.push_back(&row);
  return out;
}

std::string comparison_text(const Comparison& c, std::optional<double> bound_pct) {
  std::string out;
  for (const auto& [label, run] : {std::pair{"A", &c.a}, std::pair{"B", &c.b}}) {
    out += fmt::format("{}: {}: {}, started {}, {:.1f}s, {} intervals\n", label, run->name,
                       run->workload.empty() ? "-" : run->workload, run->started_at.empty() ? "-" : run->started_at,
                       std::isfinite(run->duration_s) ? run->duration_s : 0.0, run->intervals);
  }
  out += fmt::format("{:<18} {:<6} {:>12} {:>12} {:>10}\n", "operation", "metric", "A", "B", "change");
  for (const auto& row : c.rows) {
    std::string mark;
    if (bound_pct && row.beyond(*bound_pct)) {
      mark = fmt::format("  REGRESSION beyond {:g}%", *bound_pct);
    } else if (row.worse) {
      mark = "  worse";
    }
    out += fmt::format("{:<18} {:<6} {:>12} {:>12} {:>10}  (p={:.3f} n={}+{}){}\n", row.op, row.metric,
                       compared_figure(row, row.a), compared_figure(row, row.b), change_text(row), row.test.p_value,
                       row.test.n_a, row.test.n_b, mark);
  }
  for (const auto& op : c.only_in_a) out += fmt::format("{}: only in A\n", op);
  for (const auto& op : c.only_in_b) out += fmt::format("{}: only in B\n", op);
  out += fmt::format(
      "(A, B: whole-run figures, latency from the intended start; change: ~ unless significant at p < {:g}, "
      "Mann-Whitney U over the runs' intervals)\n",
      c.alpha);
  std::vector<std::string> named;
  if (bound_pct) {
    for (const auto* row : regressions(c, *bound_pct))
      named.push_back(fmt::format("{} {:+.2f}%", row_name(*row), row->change_pct));
    if (named.empty()) {
      out += fmt::format("compare: no significant regression beyond {:g}%\n", *bound_pct);
    } else {
      out += fmt::format("compare: {} significant regression{} beyond {:g}%: {}\n", named.size(),
                         named.size() == 1 ? "" : "s", *bound_pct, fmt::join(named, ", "));
    }
    return out;
  }
  for (const auto& row : c.rows)
    if (row.worse) named.push_back(fmt::format("{} {:+.2f}%", row_name(row), row.change_pct));
  out += named.empty() ? std::string("compare: nothing significantly worse\n")
                       : fmt::format("compare: significantly worse: {}\n", fmt::join(named, ", "));
  return out;
}

json comparison_json(const Comparison& c, std::optional<double> bound_pct) {
  const auto headline = [](const RunHeadline& run) {
    return json{{"name", run.name},
                {"workload", run.workload},
                {"started_at", run.started_at},
                {"duration_s", finite_or_null(run.duration_s)},
                {"intervals", run.intervals}};
  };
  json rows = json::array();
  json named = json::array();
  for (const auto& row : c.rows) {
    const bool beyond = bound_pct && row.beyond(*bound_pct);
    rows.push_back({{"op", row.op},
                    {"metric", row.metric},
                    {"a", finite_or_null(row.a)},
                    {"b", finite_or_null(row.b)},
                    {"change_pct", finite_or_null(row.change_pct)},
                    {"p_value", row.test.p_value},
                    {"n_a", row.test.n_a},
                    {"n_b", row.test.n_b},
                    {"u", row.test.u},
                    {"exact", row.test.exact},
                    {"significant", row.significant},
                    {"worse", row.worse},
                    {"beyond", beyond}});
    if (beyond) named.push_back(row_name(row));
  }
  return {{"alpha", c.alpha},
          {"max_regression_pct", bound_pct ? json(*bound_pct) : json(nullptr)},
          {"a", headline(c.a)},
          {"b", headline(c.b)},
          {"rows", rows},
          {"only_in_a", c.only_in_a},
          {"only_in_b", c.only_in_b},
          {"regressions", named}};
}

}  // namespace tikvbench::report
