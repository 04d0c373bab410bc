#include "report/run_log.h"
#include "util/duration.h"

#include <algorithm>

#include <fmt/format.h>

#include "report/hdr_log.h"

namespace tikvbench::report {
namespace {

// A CSV field: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// True when `later`, the record after `earlier`, may merge into it into
// one record of no more than `step` intervals.
bool may_merge(const IntervalRecord& earlier, const IntervalRecord& later, uint32_t step) {
  return earlier.phase == later.phase && earlier.warmup == later.warmup && earlier.drain == later.drain &&
         static_cast<uint64_t>(earlier.merged) + later.merged <= step;
}

using OpIntervals = std::array<OpInterval, measure::kOpTypeCount>;

void merge_ops(OpIntervals& earlier, const OpIntervals& later) {
  for (size_t i = 0; i < earlier.size(); ++i) {
    auto& into = earlier[i];
    const auto& from = later[i];
    into.count += from.count;
    into.errors += from.errors;
    into.not_found += from.not_found;
    for (auto field : {&OpInterval::p50_us, &OpInterval::p90_us, &OpInterval::p99_us, &OpInterval::p999_us,
                       &OpInterval::max_us, &OpInterval::service_p50_us, &OpInterval::service_p99_us,
                       &OpInterval::service_max_us}) {
      into.*field = std::max(into.*field, from.*field);
    }
  }
}

// One operation type's figures as a record keeps them.
OpInterval op_interval(const measure::OpFigures& op) {
  OpInterval out;
  out.count = op.count;
  out.errors = op.errors;
  out.not_found = op.not_found;
  if (op.ok_intended && op.ok_intended->total_count() > 0) {
    const auto& h = *op.ok_intended;
    out.p50_us = h.value_at_percentile(50);
    out.p90_us = h.value_at_percentile(90);
    out.p99_us = h.value_at_percentile(99);
    out.p999_us = h.value_at_percentile(99.9);
    out.max_us = h.max();
  }
  if (op.ok_service && op.ok_service->total_count() > 0) {
    const auto& h = *op.ok_service;
    out.service_p50_us = h.value_at_percentile(50);
    out.service_p99_us = h.value_at_percentile(99);
    out.service_max_us = h.max();
  }
  return out;
}

// `later` taken into `earlier` (IntervalRecord says how).
void merge_into(IntervalRecord& earlier, const IntervalRecord& later) {
  if (earlier.target_ops_per_sec || later.target_ops_per_sec) {
    const double total = earlier.length + later.length;
    earlier.target_ops_per_sec = total > 0 ? (earlier.target_ops_per_sec.value_or(0) * earlier.length +
                                              later.target_ops_per_sec.value_or(0) * later.length) / total
                                           : 0.0;
  }
  earlier.t = later.t;
  earlier.length += later.length;
  earlier.merged += later.merged;
  earlier.inflight = std::max(earlier.inflight, later.inflight);
  earlier.late += later.late;
  merge_ops(earlier.ops, later.ops);
  for (const auto& [id, ops] : later.stores) merge_ops(earlier.stores[id], ops);
  for (const auto& [kind, count] : later.errors_by_kind) earlier.errors_by_kind[kind] += count;
  for (const auto& [kind, count] : later.retries_by_kind) earlier.retries_by_kind[kind] += count;
}

// "not_leader=3;server_is_busy=12": a CSV cell of counts by kind.
std::string counts_cell(const std::map<std::string, uint64_t>& counts) {
  std::string out;
  for (const auto& [kind, n] : counts) out += fmt::format("{}{}={}", out.empty() ? "" : ";", kind, n);
  return out;
}

uint64_t sum(const std::map<std::string, uint64_t>& counts) {
  uint64_t total = 0;
  for (const auto& [kind, n] : counts) total += n;
  return total;
}

}  // namespace

RunLog::RunLog(std::chrono::system_clock::time_point start, RunLogOutputs outputs) : outputs_(outputs) {
  if (outputs_.hdr_log != nullptr) {
    HdrLogWriter writer(*outputs_.hdr_log);
    (void)writer.write_header(start, "tikv-bench: latency in microseconds; tags: operation types");
    outputs_.hdr_log->flush();
  }
  if (outputs_.csv != nullptr) {
    *outputs_.csv << "t_s,interval_s,phase,warmup,op,count,errors,ops_per_sec,p50_us,p90_us,p99_us,p999_us,max_us,"
                     "service_p50_us,service_p99_us,service_max_us,inflight,late,not_found,target_ops_per_sec,drain,"
                     "retries,retries_by_kind,errors_by_kind,store\n";
    outputs_.csv->flush();
  }
}

void RunLog::add(IntervalInfo info, const measure::Figures& interval) {
  IntervalRecord record;
  record.t = to_seconds(info.elapsed);
  record.length = to_seconds(info.length);
  record.phase = std::move(info.phase);
  record.warmup = info.warmup;
  record.drain = info.drain;
  record.inflight = info.inflight;
  record.target_ops_per_sec = info.target_ops_per_sec;
  record.late = interval.late;
  record.errors_by_kind = interval.errors_by_kind;
  record.retries_by_kind = std::move(info.retries_by_kind);
  for (size_t i = 0; i < interval.ops.size(); ++i) record.ops[i] = op_interval(interval.ops[i]);
  for (const auto& [id, store] : interval.stores) {
    if (store.empty()) continue;
    auto& ops = record.stores[id];
    for (size_t i = 0; i < store.ops.size(); ++i) ops[i] = op_interval(store.ops[i]);
  }
  if (outputs_.hdr_log != nullptr) write_hdr_lines(record, interval);
  if (outputs_.csv != nullptr) write_csv_rows(record);
  if (outputs_.keep_intervals) keep(std::move(record));
}

void RunLog::keep(IntervalRecord record) {
  if (!intervals_.empty() && may_merge(intervals_.back(), record, step_)) {
    store_shares_ -= intervals_.back().stores.size();
    merge_into(intervals_.back(), record);
    store_shares_ += intervals_.back().stores.size();
    return;
  }
  store_shares_ += record.stores.size();
  intervals_.push_back(std::move(record));
  // Coarsening may leave too many when every record is a phase of its own.
  for (size_t before = 0; intervals_.size() + store_shares_ > std::max<size_t>(outputs_.max_intervals, 2) &&
                          before != intervals_.size() + store_shares_;) {
    before = intervals_.size() + store_shares_;
    coarsen();
  }
}

void RunLog::coarsen() {
  constexpr uint32_t kLargestStep = uint32_t{1} << 30;
  if (step_ >= kLargestStep) return;  // phases of one interval each: nothing left to merge
  step_ *= 2;
  size_t kept = 0;
  for (size_t i = 0; i < intervals_.size(); ++i) {
    if (kept > 0 && may_merge(intervals_[kept - 1], intervals_[i], step_)) {
      merge_into(intervals_[kept - 1], intervals_[i]);
    } else {
      if (kept != i) intervals_[kept] = std::move(intervals_[i]);
      ++kept;
    }
  }
  intervals_.resize(kept);
  store_shares_ = 0;
  for (const auto& record : intervals_) store_shares_ += record.stores.size();
}

void RunLog::write_hdr_lines(const IntervalRecord& record, const measure::Figures& interval) {
  HdrLogWriter writer(*outputs_.hdr_log);
  const auto begin = std::chrono::duration<double>(record.t - record.length);
  const auto span = std::chrono::duration<double>(record.length);
  for (size_t i = 0; i < interval.ops.size(); ++i) {
    const auto& op = interval.ops[i];
    if (!op.ok_intended || op.ok_intended->total_count() == 0) continue;
    // Warm-up intervals carry tags of their own ("warmup.read"), so a reader
    // that knows the operation tags (merge) leaves them out, as the totals do.
    const std::string tag = (record.warmup ? "warmup." : "") + std::string(measure::kOpTypeNames[i]);
    (void)writer.write_interval(tag, begin, span, *op.ok_intended);
    if (op.ok_service) (void)writer.write_interval(tag + ".service", begin, span, *op.ok_service);
  }
  outputs_.hdr_log->flush();
}

void RunLog::write_csv_rows(const IntervalRecord& record) {
  std::string rows;
  // The interval's own columns, the same on each of its rows.
  const auto target = record.target_ops_per_sec ? fmt::format("{:.1f}", *record.target_ops_per_sec) : std::string();
  const auto tail = fmt::format("{},{},{},{},{}", target, record.drain ? 1 : 0, sum(record.retries_by_kind),
                                csv_field(counts_cell(record.retries_by_kind)),
                                csv_field(counts_cell(record.errors_by_kind)));
  bool any = false;
  // The rows of one set of operation types; `store` empty: cluster-wide.
  const auto add_rows = [&](const OpIntervals& ops, const std::string& store) {
    for (size_t i = 0; i < ops.size(); ++i) {
      const auto& op = ops[i];
      if (op.count == 0 && op.errors == 0) continue;
      any = true;
      rows += fmt::format("{:.3f},{:.3f},{},{},{},{},{},{:.1f},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", record.t,
                          record.length, csv_field(record.phase), record.warmup ? 1 : 0, measure::kOpTypeNames[i],
                          op.count, op.errors,
                          record.length > 0 ? static_cast<double>(op.count + op.errors) / record.length : 0.0,
                          op.p50_us, op.p90_us, op.p99_us, op.p999_us, op.max_us, op.service_p50_us,
                          op.service_p99_us, op.service_max_us, record.inflight, record.late, op.not_found, tail,
                          store);
    }
  };
  add_rows(record.ops, "");
  if (!any) {
    // An interval that completed nothing still has a row: op "none", so a
    // stall shows in the CSV as a row of zeros with its retries.
    rows += fmt::format("{:.3f},{:.3f},{},{},none,0,0,0.0,0,0,0,0,0,0,0,0,{},{},0,{},\n", record.t, record.length,
                        csv_field(record.phase), record.warmup ? 1 : 0, record.inflight, record.late, tail);
  }
  for (const auto& [id, ops] : record.stores) add_rows(ops, std::to_string(id));
  *outputs_.csv << rows;
  outputs_.csv->flush();
}

}  // namespace tikvbench::report
