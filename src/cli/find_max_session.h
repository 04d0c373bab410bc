// One `find-max` from the command line, start to finish: connect once,
// warm up, then run the workload open loop at the rates RateSearch picks,
// one Runner per step over the same connected client, each step held for
// the step duration; judge each step against the SLO, print a line per step,
// the curve and the answer, and write the JSON and HTML reports.
//
// A step holds when every SLO expression holds on the step's figures
// (latency from the intended start unless `service.`) and its successful
// operations reach kMinAchieved of the target rate; a step that cannot
// even start its operations on time, or whose operations fail, is broken.
// The answer is the highest rate that held.
//
// Exit code: 0 when a rate held (also when --max held); kExitNoRateHeld (5)
// when even the first step broke; 3 when no PD answered; 4 when a report
// could not be written; 130/143 after SIGINT/SIGTERM, which stop the step
// under way (it is not judged) and still print and write the steps done.
// Failed operations count in a step's error rate, not in the exit code.
//
// Thread safety: call from the main thread, before any other thread starts
// (it installs the StopSignal). Blocks until the search ends.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "report/threshold.h"
#include "tikv/cluster_client.h"
#include "workload/rate_search.h"
#include "workload/spec.h"

namespace tikvbench::cli {

// A step must achieve this fraction of its target to hold.
inline constexpr double kMinAchieved = 0.95;

struct FindMaxOptions {
  workload::WorkloadSpec spec;  // resolved; each step replaces its load, phases and bounds
  tikv::ClientOptions client;
  std::vector<report::Threshold> slo;  // at least one
  workload::RateSearchOptions search;
  std::chrono::nanoseconds step_duration = std::chrono::seconds(10);
  // Unjudged, at the start rate, before the first step: connections open
  // and caches fill. min(step_duration, 1s).
  std::chrono::nanoseconds warmup = std::chrono::seconds(1);
  std::chrono::nanoseconds grace = std::chrono::seconds(10);  // after a signal
  std::string json_path;  // empty: none
  std::string html_path;  // empty: none
};

// Runs the search; returns the exit code (above). Report paths must have
// been checked writable by the caller.
int find_max(FindMaxOptions options);

}  // namespace tikvbench::cli
