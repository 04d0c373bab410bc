// What `tikv-bench find-max` found, as plain data, and its two files: the
// JSON (`--json`) and a self-contained HTML page (`--html`) with the curve:
// the p99 latency and the error rate against the rate asked for, the SLO's
// latency limits drawn across it and the rates that held shaded.
//
// JSON names, kept stable for scripts (docs/reports.md): kind ("find-max"),
// version, workload, slo [expr], start_ops_per_sec, max_ops_per_sec (null
// without --max), precision, step_duration_s, min_achieved, steps [{step,
// phase ("rise" or "bisect"), target_ops_per_sec, achieved_ops_per_sec,
// count, errors, p50_us, p99_us (null without a success), error_rate,
// duration_s, ok, broken_by, slo [{expr, ok, value}]}] in the order they
// ran, highest_ops_per_sec (null when no step held) and ended_by.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/threshold.h"

namespace tikvbench::report {

struct FindMaxStep {
  int64_t target = 0;          // ops/s asked for (open loop)
  bool bisecting = false;      // a bisection step, not a rising one
  double achieved = 0;         // completed operations (successes and failures) per second over the step
  uint64_t count = 0;          // successes
  uint64_t errors = 0;         // failures
  std::optional<double> p50_us;  // over every operation, from the intended start
  std::optional<double> p99_us;
  double error_rate = 0;       // errors / (count + errors); 0 without operations
  double duration_s = 0;       // the step's time, its drain included
  bool held = false;           // within the SLO and at the target
  std::string broken_by;       // why it did not hold; empty when it did
  std::vector<ThresholdResult> slo;  // each SLO expression's outcome
};

struct FindMaxResult {
  std::string workload;  // the workload's name
  std::vector<Threshold> slo;
  int64_t start = 0;
  std::optional<int64_t> max;
  double precision = 0;
  double step_duration_s = 0;
  double min_achieved = 0;  // the fraction of the target a step must reach
  std::vector<FindMaxStep> steps;  // in the order they ran
  std::optional<int64_t> highest;  // the highest rate that held
  // "bisected" (within the precision), "max" (--max held), "first-step"
  // (the first step broke), "SIGINT" or "SIGTERM" (stopped: the steps done).
  std::string ended_by;
};

nlohmann::json find_max_json(const FindMaxResult& result);

// A whole HTML page; every text from the result is escaped.
std::string find_max_html(const FindMaxResult& result);

}  // namespace tikvbench::report
