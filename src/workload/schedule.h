// Schedule lays a workload's phases end to end from t = 0 and answers the two
// questions the runner asks: which phase is running at time t (and at what
// load level), and, for open-loop phases, when the n-th operation is meant to
// start. Intended start times come from the area under the rate curve: the
// n-th operation starts when the cumulative count of scheduled operations
// reaches n, so linear ramps accelerate smoothly and steps change rate
// exactly at their boundary. Concurrency phases schedule no operations (they
// are closed loop) and their time passes without any.
//
// `share` divides every rate (an instance that is 1/N of a sharded run).
//
// Thread safety: immutable after construction; every method is const.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "workload/spec.h"

namespace tikvbench::workload {

class Schedule {
 public:
  using Duration = std::chrono::nanoseconds;

  // The phases of `spec`: a warm-up phase at the base load when
  // spec.warmup > 0, then spec.phases, or, when there are none, one constant
  // phase at the base load lasting spec.bounds.duration (unbounded without
  // one: then only an operation count or a signal ends the run). A
  // spec.bounds.duration shorter than spec.phases cuts them short; steps
  // then become constant phases of their own length.
  // REQUIRES: spec validated; share > 0.
  explicit Schedule(const WorkloadSpec& spec, double share = 1.0);

  const std::vector<Phase>& phases() const { return phases_; }
  // The end of the last phase; nullopt when the last phase is unbounded.
  std::optional<Duration> total() const;
  // The phase running at `t`, or nullopt when `t` is past the end.
  std::optional<size_t> phase_at(Duration t) const;
  // When phase `index` starts.
  Duration phase_start(size_t index) const { return starts_[index]; }
  // The load level at `t` (operations per second for rate phases, after the
  // share; operations in flight for concurrency phases). 0 past the end.
  double level_at(Duration t) const;

  // The intended start of operation `n` (0-based) of the open-loop stream,
  // or nullopt when the schedule ends before it.
  std::optional<Duration> start_of(double n) const;
  // Operations the open-loop stream schedules in [0, t).
  double scheduled_before(Duration t) const;
  // The first phase boundary (a phase's end) after `t`; nullopt past the
  // last or in an unbounded phase.
  std::optional<Duration> next_boundary(Duration t) const;
  // The part of [0, elapsed) in warm-up phases.
  Duration warmup_before(Duration elapsed) const;
  // The highest concurrency any closed-loop phase asks for (0: none).
  double max_concurrency() const;
  // True when some phase is open loop (a rate).
  bool open_loop() const;

 private:
  // A piece of the rate curve: the rate moves linearly from `from` to `to`
  // (per second) over [start, start + length).
  struct Segment {
    double start_s;
    double length_s;  // infinity for an unbounded last phase
    double from;
    double to;
    double count_before;  // operations scheduled before the segment
  };
  // Appends `phase`'s rate curve; `length_s` may be infinite (constant only).
  void add_segments(const Phase& phase, double start_s, double length_s);

  std::vector<Phase> phases_;
  std::vector<Duration> starts_;
  std::vector<Segment> segments_;
  bool unbounded_ = false;
  double share_;
};

}  // namespace tikvbench::workload
