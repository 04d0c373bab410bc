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
// those in flight: the drain, whose operations belong to the phase that
// started them.
//
// Cancellation: after `stop`, the operations in flight have the grace time
// to finish. Then the runner cancels them (LoopTaskGroup::cancel_all: each
// completes at once with kCancelled, whatever it was waiting on), waits for
// every one, and returns. A cancelled operation is counted as `cancelled`,
// neither a success nor an error. Nothing outlives run().
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

#include "rpc/event_loops.h"
#include "tikv/raw_client.h"
#include "workload/ended_by.h"
#include "workload/operation_source.h"
#include "workload/run_result.h"
#include "workload/spec.h"
#include "workload/verify_tracker.h"

namespace tikvbench::workload {

enum class RunMode { kLoad, kRun };


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
  // Past it they are cancelled (recorded as cancelled, apart from errors),
  // and run() returns once every one has ended.
  std::chrono::nanoseconds grace = std::chrono::seconds(10);
  // A tracker shared between a load and the run after it (in-process runs);
  // null: the runner makes one when the spec asks to verify.
  VerifyTracker* verify = nullptr;
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
