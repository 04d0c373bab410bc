// RunLog keeps what every status interval of a run showed: per interval and
// operation type the counts and a few percentiles. It writes them as the run
// goes to the streams it was given, the CSV rows and the HdrHistogram log
// (each interval's histograms), so that a run of days keeps none of those
// in memory; and it keeps the records themselves (760 bytes an interval)
// only when asked, for the reports made from them at the end (JSON
// "intervals", and the HTML report's plots). Those it keeps are bounded
// (RunLogOutputs::max_intervals): past the bound, neighbouring records
// merge, so that a run of days keeps the shape of the whole run at a
// coarser step instead of growing without end. The streamed files stay at
// full resolution.
//
// Latency percentiles are of successes, from the intended start ("i_") and
// from the send.
//
// Per TiKV store, each record also keeps the store's figures (the same
// OpInterval per operation type), and the CSV gets a row per interval,
// store and operation type. A store's share counts like a record of its
// own towards the bound on records kept, so the records grow coarser
// sooner when there are many stores.
//
// Thread safety: none; the run's reporting thread owns it.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "measure/recorder.h"

namespace tikvbench::report {

struct OpInterval {
  uint64_t count = 0;
  uint64_t errors = 0;
  uint64_t not_found = 0;
  int64_t p50_us = 0, p90_us = 0, p99_us = 0, p999_us = 0, max_us = 0;  // from the intended start
  int64_t service_p50_us = 0, service_p99_us = 0, service_max_us = 0;
};

// One status interval, or `merged` neighbouring ones of the same phase
// taken together: counts, errors, not found, late starts, errors and
// retries by kind summed, the target the mean over their time, `inflight`
// and every latency figure the highest of theirs (an upper bound for a
// merged percentile: the histograms are gone by then).
struct IntervalRecord {
  double t = 0;       // seconds since the start at the interval's end
  double length = 0;  // seconds
  uint32_t merged = 1;  // how many status intervals this record covers
  std::string phase;    // the phase it ran in; "drain" after the last
  bool warmup = false;
  bool drain = false;
  uint64_t inflight = 0;
  uint64_t late = 0;
  std::optional<double> target_ops_per_sec;  // open loop: the mean target over the interval
  std::array<OpInterval, measure::kOpTypeCount> ops;
  std::map<std::string, uint64_t> errors_by_kind;
  std::map<std::string, uint64_t> retries_by_kind;  // the client's retries in the interval
  // Per store id, the operations that went to it (merged as `ops`).
  std::map<uint64_t, std::array<OpInterval, measure::kOpTypeCount>> stores;
};

// What RunLog::add() takes besides the figures.
struct IntervalInfo {
  std::chrono::nanoseconds elapsed{0};  // since the start, at the interval's end
  std::chrono::nanoseconds length{0};
  std::string phase;
  bool warmup = false;
  bool drain = false;
  uint64_t inflight = 0;
  std::optional<double> target_ops_per_sec;
  std::map<std::string, uint64_t> retries_by_kind;
};

// Where a RunLog's intervals go. The streams must outlive the RunLog; each
// is flushed after every interval, and a failed write shows in its state.
struct RunLogOutputs {
  // The HdrHistogram interval log (format 1.3): the header at once, then
  // per interval and operation type with successes a line tagged with the
  // type's name ("read"), latency from the intended start, and one tagged
  // "<name>.service", from the send. Warm-up intervals' tags start with
  // "warmup." ("warmup.read").
  std::ostream* hdr_log = nullptr;
  // CSV: a header row at once, then per interval a row per operation type
  // with operations (docs/reports.md has the columns).
  std::ostream* csv = nullptr;
  // Keep every interval's record, for intervals().
  bool keep_intervals = true;
  // The most records kept (at least 2), a store's share of a record
  // counting as one more. When one more would be kept,
  // neighbouring pairs of the same phase merge and from then on each
  // record covers twice as many intervals as before. A record never spans
  // a phase boundary, so a run of many short phases may keep one more per
  // phase. 10,000 is under 3 hours at 1-s intervals, 8 MB.
  size_t max_intervals = 10'000;
};

class RunLog {
 public:
  // `start` is the run's start on the wall clock (the HdrHistogram log's
  // StartTime).
  explicit RunLog(std::chrono::system_clock::time_point start, RunLogOutputs outputs = {});

  void add(IntervalInfo info, const measure::Figures& interval);
  // The same, for an interval without a target, retries or drain.
  void add(std::chrono::nanoseconds elapsed, std::chrono::nanoseconds length, std::string phase, bool warmup,
           uint64_t inflight, const measure::Figures& interval) {
    add(IntervalInfo{elapsed, length, std::move(phase), warmup, false, inflight, std::nullopt, {}}, interval);
  }

  // Empty unless outputs.keep_intervals; in time order, each record
  // covering `merged` intervals.
  const std::vector<IntervalRecord>& intervals() const { return intervals_; }

 private:
  void write_hdr_lines(const IntervalRecord& record, const measure::Figures& interval);
  void write_csv_rows(const IntervalRecord& record);
  void keep(IntervalRecord record);
  // Merges neighbours up to twice the current step; doubles the step.
  void coarsen();

  const RunLogOutputs outputs_;
  std::vector<IntervalRecord> intervals_;
  size_t store_shares_ = 0;  // the store entries of intervals_' records
  uint32_t step_ = 1;  // how many intervals a new record may cover
};

}  // namespace tikvbench::report
