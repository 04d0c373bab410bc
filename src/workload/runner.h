// Runner drives a workload against a cluster: `load` inserts the records;
// `run` issues the operation mix phase by phase, closed loop (N workers, one
// operation in flight each) or open loop (operations start at their
// scheduled times, spread over the event loops). Every operation's latency
// is recorded from its intended start and from its actual send; in closed
// loop the two are the same. An open-loop start that finds the in-flight cap
// reached waits for a slot and is counted as late, never dropped.
//
// Warm-up phases run and are measured apart: their figures are handed out
// per interval and in RunResult::warmup, never in the totals. The run ends
// when the schedule ends, the operation bound is reached, the records run
// out (load) or `stop` is set; then no operation starts and run() waits for
// those in flight (after `stop`, for at most the grace time): the drain,
// whose operations belong to the phase that started them.
//
// Status intervals never span a phase boundary: an interval ends early at
// a boundary, so each interval holds one phase's time (or the drain's).
//
// Thread safety: run() blocks the calling thread, which must not be one of
// `loops`; status callbacks come on that thread.
// Lifetime: spec, raw and loops must outlive run().
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "report/recorder.h"
#include "rpc/event_loops.h"
#include "tikv/raw_client.h"
#include "workload/ended_by.h"
#include "workload/operation_source.h"
#include "workload/phase_results.h"
#include "workload/spec.h"
#include "workload/verify_tracker.h"

namespace tikvbench::workload {

enum class RunMode { kLoad, kRun };


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
  const report::Figures* figures = nullptr;
};

struct RunnerOptions {
  RunMode mode = RunMode::kRun;
  Shard shard;
  std::chrono::nanoseconds status_interval = std::chrono::seconds(1);
  uint64_t seed = 1;
  // Called on run()'s thread after every interval.
  std::function<void(const IntervalStatus&)> on_interval;
  // Set from elsewhere (a signal) to stop starting operations.
  const std::atomic<bool>* stop = nullptr;
  // After a stop, how long the operations in flight may take to finish.
  // Past it run() returns with them still running (`abandoned`): the caller
  // then writes its reports and exits without destroying the client.
  std::chrono::nanoseconds grace = std::chrono::seconds(10);
  // A tracker shared between a load and the run after it (in-process runs);
  // null: the runner makes one when the spec asks to verify.
  VerifyTracker* verify = nullptr;
};

struct RunResult {
  // The time the recorded operations took: from the run's start until the
  // last operation ended, less the warm-up phases. Every headline rate is
  // the totals over this.
  std::chrono::nanoseconds recorded{0};
  std::chrono::nanoseconds elapsed{0};   // from the start until the last operation ended
  // The time the warm-up phases' operations took (their `took`, summed).
  std::chrono::nanoseconds warmup_time{0};
  report::Figures totals;                // operations of recorded phases
  report::Figures warmup;                // operations of warm-up phases
  std::vector<PhaseResult> phases;       // as the schedule laid them out; a load: one
  uint64_t started = 0;                  // operations started, warm-up included
  std::optional<VerifyCounts> verify;
  bool stopped = false;  // ended by `stop`
  EndedBy ended_by = EndedBy::kPhases;
  uint64_t abandoned = 0;  // operations still in flight when the grace ran out
};

class Runner {
 public:
  Runner(const WorkloadSpec& spec, tikv::RawClient& raw, rpc::EventLoops& loops, RunnerOptions options);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Runs to the end. Blocks.
  RunResult run();

 private:
  class State;
  const WorkloadSpec& spec_;
  tikv::RawClient& raw_;
  rpc::EventLoops& loops_;
  RunnerOptions options_;
};

}  // namespace tikvbench::workload
