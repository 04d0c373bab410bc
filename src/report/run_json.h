// The run as one JSON document (`--json FILE`, the input of `report` and of
// the HTML page). Names kept stable for scripts: version, workload,
// started_at, duration_s, phases, total {count, errors, ops_per_sec}, ops
// {OP: {count, errors, ops_per_sec, latency_us {min, mean, p50, p90, p95,
// p99, p999, p9999, max}, intended_latency_us {...}, spectrum,
// intended_spectrum}}, errors_by_kind, retries_by_kind, late, verify
// {checked, lost, corrupt, examples}, thresholds [{expr, ok, value}],
// intervals [{t, length_s, phase, inflight, ops {OP: {count, errors,
// p50_us, p99_us, max_us, ...}}, merged (only when the record covers more
// than one status interval: run_log.h)}], cluster. OP names are lower case
// (spec.h).
//
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/recorder.h"
#include "report/run_log.h"
#include "workload/spec.h"

namespace tikvbench::report {

struct ThresholdOutcome {
  std::string expr;
  bool ok = false;
  std::string value;
};

struct VerifySummary {
  uint64_t checked = 0, lost = 0, corrupt = 0;
  std::vector<std::string> examples;
};

// What the report says besides the figures.
struct RunInfo {
  std::string workload_name;
  std::string workload_source;
  std::string workload_spec;  // the resolved workload, as YAML
  std::vector<std::string> pd;
  bool embedded_mock = false;
  size_t threads = 0;
  std::string transport;
  std::string shard;  // "I/N"
  std::chrono::system_clock::time_point started_at;
  std::vector<workload::Phase> phases;  // as the schedule laid them out
  std::vector<double> phase_starts_s;
};

// Everything measured.
struct RunFigures {
  const Figures* totals = nullptr;
  std::chrono::nanoseconds recorded{0};
  std::map<std::string, uint64_t> retries_by_kind;
  std::optional<VerifySummary> verify;
  std::vector<ThresholdOutcome> thresholds;
  const std::vector<IntervalRecord>* intervals = nullptr;
};

nlohmann::json run_json(const RunInfo& info, const RunFigures& figures);

// "2026-11-29T21:55:00.123Z".
std::string iso8601(std::chrono::system_clock::time_point t);

}  // namespace tikvbench::report
