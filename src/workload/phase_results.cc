#include "workload/phase_results.h"

#include <algorithm>

namespace tikvbench::workload {

std::vector<PhaseResult> phase_results(const Schedule& schedule, const std::vector<measure::PhaseTally>& tallies,
                                       std::chrono::nanoseconds elapsed) {
  std::vector<PhaseResult> results;
  for (size_t i = 0; i < schedule.phases().size(); ++i) {
    const auto& phase = schedule.phases()[i];
    PhaseResult r;
    r.name = phase.name;
    r.warmup = phase.warmup;
    r.kind = phase.kind;
    r.start = schedule.phase_start(i);
    r.ran = elapsed > r.start;
    const auto& tally = tallies[i];
    r.count = tally.count;
    r.errors = tally.errors;
    r.late = tally.late;
    if (r.ran) {
      const auto scheduled_end = phase.duration == std::chrono::nanoseconds::max() ? elapsed : r.start + phase.duration;
      const auto ran_until = std::min(scheduled_end, elapsed);
      r.took = std::max(ran_until, std::min(tally.last_end, elapsed)) - r.start;
      r.ran_for = ran_until - r.start;
      if (phase.kind == LoadKind::kRate && ran_until > r.start) {
        r.target_ops_per_sec = (schedule.scheduled_before(ran_until) - schedule.scheduled_before(r.start)) /
                               std::chrono::duration<double>(ran_until - r.start).count();
      }
    }
    results.push_back(std::move(r));
  }
  return results;
}

PhaseResult load_result(const measure::PhaseTally& tally, std::chrono::nanoseconds elapsed) {
  PhaseResult load;
  load.name = "load";
  load.took = elapsed;
  load.ran_for = elapsed;
  load.count = tally.count;
  load.errors = tally.errors;
  load.ran = true;
  return load;
}

}  // namespace tikvbench::workload
