// What a run did, as the runner hands it out: after every interval
// (IntervalStatus, for the status line and the streamed reports) and at the
// end (RunResult). Plain data: the reports read it without knowing how a
// run is driven.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "measure/recorder.h"
#include "workload/ended_by.h"
#include "workload/phase_results.h"
#include "workload/spec.h"

namespace tikvbench::workload {

// What verification found (spec.verify): reads judged against the writes
// acknowledged before them.
struct VerifyCounts {
  uint64_t checked = 0;  // reads judged
  uint64_t lost = 0;     // missing or older than the last acknowledged write
  uint64_t corrupt = 0;  // checksum mismatch
  std::vector<std::string> examples;  // the first few problems, readable
};

// What the status line shows after each interval.
struct IntervalStatus {
  std::chrono::nanoseconds elapsed{0};  // since the start
  std::chrono::nanoseconds length{0};   // of this interval
  std::string phase;  // the phase the interval ran in, or "drain" after the last
  bool warmup = false;
  bool drain = false;  // after the run ended: operations in flight finishing
  bool load = false;   // an interval of a load (done counts records)
  std::optional<std::chrono::nanoseconds> phase_left;
  std::optional<std::chrono::nanoseconds> run_left;
  std::chrono::nanoseconds phase_length{0};  // 0 when unbounded
  std::chrono::nanoseconds run_length{0};    // 0 when unbounded
  double level = 0;  // the phase's target now: ops/s or in flight
  // Open loop: the mean target over the interval (ops/s), so a ramp's
  // interval is compared with what it asked for over that time.
  std::optional<double> target_ops_per_sec;
  LoadKind kind = LoadKind::kConcurrency;
  uint64_t inflight = 0;
  // Operations (a load: records) finished so far, and the bound on them
  // when there is one (a load: the records to insert).
  uint64_t done = 0;
  std::optional<uint64_t> done_bound;
  // This interval's figures: of its phase's kind (warm-up or recorded).
  const measure::Figures* figures = nullptr;
};

struct RunResult {
  // The time the recorded operations took: from the run's start until the
  // last operation ended, less the warm-up phases. Every headline rate is
  // the totals over this.
  std::chrono::nanoseconds recorded{0};
  std::chrono::nanoseconds elapsed{0};   // from the start until the last operation ended
  // The time the warm-up phases' operations took (their `took`, summed).
  std::chrono::nanoseconds warmup_time{0};
  measure::Figures totals;                // operations of recorded phases
  measure::Figures warmup;                // operations of warm-up phases
  std::vector<PhaseResult> phases;       // as the schedule laid them out; a load: one
  uint64_t started = 0;                  // operations started, warm-up included
  std::optional<VerifyCounts> verify;
  bool stopped = false;  // ended by `stop`
  EndedBy ended_by = EndedBy::kPhases;
  // Operations still in flight when a stop's grace time ran out: cancelled
  // (and counted in the figures' `cancelled`).
  uint64_t cancelled_in_flight = 0;
  // The longest stretch of the recorded phases with no successful
  // operation (to the millisecond; measure/success_gaps.h), and its start
  // since the run's start.
  std::chrono::nanoseconds longest_gap{0};
  std::chrono::nanoseconds longest_gap_start{0};
};

}  // namespace tikvbench::workload
