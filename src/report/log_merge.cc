#include "report/log_merge.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/hdr_log.h"
#include "report/run_json.h"
#include "report/run_log.h"

namespace tikvbench::report {
namespace {

// The operation type a log tag names, and whether it is the service
// latency ("read.service") rather than the intended-start one ("read").
std::optional<std::pair<size_t, bool>> op_of_tag(const std::string& tag) {
  const bool service = tag.ends_with(".service");
  const auto name = service ? tag.substr(0, tag.size() - 8) : tag;
  for (size_t i = 0; i < measure::kOpTypeCount; ++i) {
    if (measure::kOpTypeNames[i] == name) return std::make_pair(i, service);
  }
  return std::nullopt;
}

void merge_into(std::unique_ptr<measure::Histogram>& into, const measure::Histogram& from) {
  if (!into) into = measure::make_latency_histogram();
  (void)into->merge(from);
}

// Refuses a copy: a source with the same bytes as an earlier one.
void refuse_copies(const std::vector<LogSource>& sources) {
  std::vector<size_t> hashes;
  for (size_t i = 0; i < sources.size(); ++i) {
    hashes.push_back(std::hash<std::string_view>{}(sources[i].text));
    for (size_t j = 0; j < i; ++j) {
      // Hashes equal: compare the bytes, so a collision never refuses two logs.
      if (hashes[j] == hashes[i] && sources[j].text == sources[i].text) {
        throw std::invalid_argument(
            fmt::format("merge: {} holds the same bytes as {}: a copy of one log (its operations would count twice)",
                        sources[i].name, sources[j].name));
      }
    }
  }
}

std::chrono::nanoseconds to_ns(double seconds) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds));
}

std::chrono::system_clock::time_point wall_time(double seconds) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(seconds)));
}

}  // namespace

MergedRun merge_logs(const std::vector<LogSource>& sources, std::chrono::duration<double> interval_length,
                     const measure::Figures& failures) {
  const double interval = interval_length.count();
  if (!(interval > 0)) throw std::invalid_argument("merge: the interval must be above 0");
  refuse_copies(sources);
  struct Entry {
    size_t op;
    bool service;
    double start, length;
    measure::Histogram histogram;
  };
  std::vector<Entry> entries;
  // The logs' time span, first interval start to last interval end over all
  // of them: the merged run's duration and its go-ycsb Takes(s).
  double first = INFINITY, last = -INFINITY;
  for (const auto& source : sources) {
    std::istringstream text(source.text);
    HdrLogReader reader(text);
    for (;;) {
      auto next = reader.next();
      if (!next.ok()) throw std::invalid_argument(fmt::format("{}: {}", source.name, next.status().message()));
      if (!next->has_value()) break;
      auto& entry = **next;
      const auto op = op_of_tag(entry.tag);
      if (!op) continue;  // a tag of another tool
      first = std::min(first, entry.absolute_start_seconds);
      last = std::max(last, entry.absolute_start_seconds + entry.length_seconds);
      entries.push_back({op->first, op->second, entry.absolute_start_seconds, entry.length_seconds,
                         std::move(entry.histogram)});
    }
  }
  if (entries.empty()) throw std::invalid_argument("merge: the logs hold no tikv-bench intervals");
  // Totals, and intervals on absolute time: an entry counts in the bucket
  // where it ends.
  MergedRun merged;
  auto& totals = merged.totals;
  std::map<int64_t, measure::Figures> buckets;
  for (const auto& entry : entries) {
    auto& total = totals.ops[entry.op];
    const auto bucket = static_cast<int64_t>(std::ceil((entry.start + entry.length - first) / interval - 1e-9));
    auto& in_bucket = buckets[std::max<int64_t>(bucket, 1)].ops[entry.op];
    if (entry.service) {
      merge_into(total.ok_service, entry.histogram);
      merge_into(in_bucket.ok_service, entry.histogram);
    } else {
      merge_into(total.ok_intended, entry.histogram);
      merge_into(in_bucket.ok_intended, entry.histogram);
      total.count += static_cast<uint64_t>(entry.histogram.total_count());
      in_bucket.count += static_cast<uint64_t>(entry.histogram.total_count());
    }
  }
  RunLog log(wall_time(first));
  int64_t previous = 0;
  for (const auto& [bucket, figures] : buckets) {
    IntervalInfo info;
    info.elapsed = to_ns(static_cast<double>(bucket) * interval);
    info.length = to_ns(static_cast<double>(bucket - previous) * interval);
    info.phase = "merged";
    log.add(std::move(info), figures);
    previous = bucket;
  }
  RunInfo info;
  std::vector<std::string> names;
  for (const auto& source : sources) names.push_back(source.name);
  info.workload_name = fmt::format("merged from {} logs", sources.size());
  info.workload_source = fmt::format("{}", fmt::join(names, ", "));
  info.started_at = wall_time(first);
  // The failures the shards' JSON documents counted (the logs hold none).
  for (size_t i = 0; i < totals.ops.size(); ++i) totals.ops[i].errors += failures.ops[i].errors;
  for (const auto& [kind, n] : failures.errors_by_kind) totals.errors_by_kind[kind] += n;
  merged.recorded = to_ns(last - first);
  RunFigures figures;
  figures.totals = &totals;
  figures.recorded = merged.recorded;
  figures.intervals = &log.intervals();
  merged.document = run_json(info, figures);
  return merged;
}

void add_failures_from_json(std::string_view json_text, measure::Figures& into) {
  const auto doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return;
  const auto ops = doc.value("ops", nlohmann::json::object());
  for (size_t i = 0; i < measure::kOpTypeCount; ++i) {
    const auto op = ops.value(std::string(measure::kOpTypeNames[i]), nlohmann::json::object());
    into.ops[i].errors += op.value("errors", uint64_t{0});
  }
  // A local: items() of a temporary would outlive it in the loop.
  const auto by_kind = doc.value("errors_by_kind", nlohmann::json::object());
  for (const auto& [kind, n] : by_kind.items()) {
    if (n.is_number_unsigned()) into.errors_by_kind[kind] += n.get<uint64_t>();
  }
}

}  // namespace tikvbench::report
