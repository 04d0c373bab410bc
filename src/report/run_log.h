// RunLog keeps what every status interval of a run showed: per interval and
// operation type the counts and a few percentiles. It writes them as the run
// goes to the streams it was given, the CSV rows and the HdrHistogram log
// (each interval's histograms), so that a run of days keeps none of those
// in memory; and it keeps the records themselves (760 bytes an interval)
// only when asked, for the reports made from them at the end (JSON
// "intervals", and the HTML report's plots).
//
// Latency percentiles are of successes, from the intended start ("i_") and
// from the send.
//
// Thread safety: none; the run's reporting thread owns it.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "report/recorder.h"

namespace tikvbench::report {

struct OpInterval {
  uint64_t count = 0;
  uint64_t errors = 0;
  int64_t p50_us = 0, p90_us = 0, p99_us = 0, p999_us = 0, max_us = 0;  // from the intended start
  int64_t service_p50_us = 0, service_p99_us = 0, service_max_us = 0;
};

struct IntervalRecord {
  double t = 0;       // seconds since the start at the interval's end
  double length = 0;  // seconds
  std::string phase;
  bool warmup = false;
  uint64_t inflight = 0;
  uint64_t late = 0;
  std::array<OpInterval, workload::kOpTypeCount> ops;
  std::map<std::string, uint64_t> errors_by_kind;
};

// Where a RunLog's intervals go. The streams must outlive the RunLog; each
// is flushed after every interval, and a failed write shows in its state.
struct RunLogOutputs {
  // The HdrHistogram interval log (format 1.3): the header at once, then
  // per interval and operation type with successes a line tagged with the
  // type's name ("read"), latency from the intended start, and one tagged
  // "<name>.service", from the send.
  std::ostream* hdr_log = nullptr;
  // CSV: a header row at once, then per interval a row per operation type
  // with operations.
  std::ostream* csv = nullptr;
  // Keep every interval's record, for intervals().
  bool keep_intervals = true;
};

class RunLog {
 public:
  // `start` is the run's start on the wall clock (the HdrHistogram log's
  // StartTime).
  explicit RunLog(std::chrono::system_clock::time_point start, RunLogOutputs outputs = {});

  void add(std::chrono::nanoseconds elapsed, std::chrono::nanoseconds length, std::string phase, bool warmup,
           uint64_t inflight, const Figures& interval);

  // Empty unless outputs.keep_intervals.
  const std::vector<IntervalRecord>& intervals() const { return intervals_; }

 private:
  void write_hdr_lines(const IntervalRecord& record, const Figures& interval);
  void write_csv_rows(const IntervalRecord& record);

  const RunLogOutputs outputs_;
  std::vector<IntervalRecord> intervals_;
};

}  // namespace tikvbench::report
