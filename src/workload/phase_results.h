// What each phase of a run did: the operations it started (however long
// they took), the time they took, and for open loop the target it was
// given over the time it ran. Made once, at the end of a run, from the
// Recorder's tallies per phase.
//
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "measure/recorder.h"
#include "workload/schedule.h"
#include "workload/spec.h"

namespace tikvbench::workload {

// One phase of the run as it went.
struct PhaseResult {
  std::string name;
  bool warmup = false;
  LoadKind kind = LoadKind::kConcurrency;
  std::chrono::nanoseconds start{0};  // since the run's start
  // From its start until its last operation ended (or its end, if later;
  // cut at the run's end): the time its operations took.
  std::chrono::nanoseconds took{0};
  // Its time in the schedule that the run reached (cut at an early end).
  std::chrono::nanoseconds ran_for{0};
  uint64_t count = 0, errors = 0, late = 0;
  // Open loop: the operations its schedule called for over the time it ran
  // (cut short by an early end), per second of that time.
  std::optional<double> target_ops_per_sec;
  bool ran = false;  // the run reached it
};

// The phases of `schedule`, index for index with `tallies`, for a run that
// lasted `elapsed`.
std::vector<PhaseResult> phase_results(const Schedule& schedule, const std::vector<measure::PhaseTally>& tallies,
                                       std::chrono::nanoseconds elapsed);

// A load as one phase named "load" that took `elapsed`.
PhaseResult load_result(const measure::PhaseTally& tally, std::chrono::nanoseconds elapsed);

}  // namespace tikvbench::workload
