// prometheus_text() renders a run's cumulative figures in Prometheus's text
// exposition format 0.0.4, for MetricsServer to serve at /metrics.
//
// Families (every one with HELP and TYPE lines; base units are seconds;
// a labelled family with no samples is left out):
//   tikv_bench_operations_total{op,result="ok"|"error"}      counter
//       recorded phases only, as the headline figures
//   tikv_bench_warmup_operations_total{op,result}             counter
//       warm-up phases, apart (left out while there were none)
//   tikv_bench_not_found_total{op}                            counter
//       keys that successful operations looked for and did not find
//   tikv_bench_errors_total{kind}                             counter
//   tikv_bench_retries_total{reason}                          counter
//   tikv_bench_late_starts_total                              counter
//   tikv_bench_inflight_operations                            gauge
//   tikv_bench_target{kind="ops_per_second"|"inflight"}       gauge
//   tikv_bench_phase_info{phase}                              gauge, always 1
//   tikv_bench_warmup_phase                                   gauge, 1 in a warm-up
//   tikv_bench_operation_duration_seconds{op,le}              histogram
//       successes, from the actual send (service latency)
//   tikv_bench_operation_intended_duration_seconds{op,le}     histogram
//       successes, from the intended start (includes queueing behind the
//       schedule: what an open-loop user would have seen)
//   tikv_bench_failed_operation_duration_seconds{op,le}       histogram
//       failures, from the actual send
//   tikv_bench_events_total{kind}                             counter
//       events the client observed or the user reported (event_log.h)
// Per TiKV store (`store` is its id, `address` its address; stores only,
// never regions or keys; an operation counts for the store of its last
// attempt, a split batch's parts where they went):
//   tikv_bench_store_operations_total{store,address,op,result} counter
//   tikv_bench_store_retries_total{store,address,reason}       counter
//   tikv_bench_store_operation_duration_seconds{store,address,op,le}
//                                                              histogram
//   tikv_bench_store_operation_intended_duration_seconds{store,address,op,le}
//                                                              histogram
//       as their cluster-wide namesakes; a store's histograms keep 2
//       significant figures (recorder.h), so their buckets are exact to 1%.
// Only operation types with any operations appear (the failed histogram:
// only those with failures).
//
// Histograms: the `le` bounds are fixed (kBucketBoundsMicros, 100 us .. 60 s
// in 1-2.5-5 steps). A bucket's cumulative count is the HDR histogram's count
// of every value whose HDR bucket starts at or below the bound, so a bound is
// as exact as the HDR histogram itself (3 significant digits); values above
// 60 s (and those saturated at the HDR histogram's 1 h) are only in +Inf.
// `_count` is the HDR histogram's total and equals the +Inf bucket. `_sum` is
// mean() * count, mean() taking each value as the middle of its HDR bucket,
// so it too is exact to 3 significant digits, not to the microsecond.
//
// Thread safety: a pure function of its argument.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "measure/recorder.h"

namespace tikvbench::report {

// What the run is aiming at, for tikv_bench_target.
enum class TargetKind {
  kNone,          // no target (the gauge is left out)
  kOpsPerSecond,  // open loop: a rate
  kInflight,      // closed loop: a number of operations in flight
};

// Everything one scrape shows. Counters are cumulative since the start.
// `totals` is borrowed: it must not change while prometheus_text() reads it
// (with Recorder, call it on the thread that calls take_interval()).
struct MetricsSnapshot {
  const measure::Figures* totals = nullptr;                   // null: nothing recorded yet
  const measure::Figures* warmup_totals = nullptr;            // warm-up phases; null: none
  std::map<std::string, uint64_t> retries_by_kind;   // retries by reason, e.g. "not_leader"
  uint64_t inflight = 0;                             // operations in flight now
  TargetKind target_kind = TargetKind::kNone;
  double target_level = 0;                           // in target_kind's unit
  std::string phase;                                 // the current phase; empty: left out
  bool warmup = false;                               // the current phase is a warm-up
  std::map<std::string, uint64_t> events_by_kind;    // events so far, repeats counted
  std::map<uint64_t, std::string> store_addresses;   // by store id; unknown: ""
  std::map<uint64_t, std::map<std::string, uint64_t>> retries_by_store;  // store -> reason -> count
};

// The fixed histogram bounds, in microseconds, with their `le` labels.
struct BucketBound {
  int64_t micros;
  std::string_view le;
};
inline constexpr std::array<BucketBound, 18> kBucketBoundsMicros = {{
    {100, "0.0001"},      {250, "0.00025"},    {500, "0.0005"},    {1'000, "0.001"},
    {2'500, "0.0025"},    {5'000, "0.005"},    {10'000, "0.01"},   {25'000, "0.025"},
    {50'000, "0.05"},     {100'000, "0.1"},    {250'000, "0.25"},  {500'000, "0.5"},
    {1'000'000, "1"},     {2'500'000, "2.5"},  {5'000'000, "5"},   {10'000'000, "10"},
    {25'000'000, "25"},   {60'000'000, "60"},
}};

// The exposition text of `snapshot`: lines ending in '\n', families in the
// order listed above. Never fails.
std::string prometheus_text(const MetricsSnapshot& snapshot);

// `value` escaped for a label value: backslash, double quote and newline
// become \\, \" and \n.
std::string escape_label_value(std::string_view value);

}  // namespace tikvbench::report
