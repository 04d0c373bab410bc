// RunLog keeps what every status interval of a run showed, compactly, for
// the reports written at the end: per interval and operation type the
// counts and a few percentiles (JSON "intervals", the CSV rows). When given
// a stream for the HdrHistogram log, it writes the log's header there at
// once and each interval's histograms as the interval ends, so a long run
// keeps none of them in memory.
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

class RunLog {
 public:
  // `start` is the run's start on the wall clock (the HdrHistogram log's
  // StartTime). `hdr_log`, when given, receives the HdrHistogram interval
  // log (format 1.3): the header now, then per interval and operation type
  // with successes a line tagged with the type's name ("read"), latency
  // from the intended start, and one tagged "<name>.service", from the
  // send; flushed after each interval. It must outlive the RunLog; a failed
  // write shows in its state.
  RunLog(std::chrono::system_clock::time_point start, std::ostream* hdr_log = nullptr);

  void add(std::chrono::nanoseconds elapsed, std::chrono::nanoseconds length, std::string phase, bool warmup,
           uint64_t inflight, const Figures& interval);

  const std::vector<IntervalRecord>& intervals() const { return intervals_; }

  // One row per interval and operation type with operations; a header row.
  std::string csv() const;

 private:
  std::ostream* const hdr_log_;
  std::vector<IntervalRecord> intervals_;
};

}  // namespace tikvbench::report
