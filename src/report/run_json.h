// The run as one JSON document (`--json FILE`, the input of `report` and of
// the HTML page). Names kept stable for scripts: version, workload,
// started_at, duration_s, ended_by, phases [{name, start_s, duration_s,
// kind, ..., warmup, ran, count, errors, late, took_s, ops_per_sec,
// target_ops_per_sec}], total {count, errors, not_found, ops_per_sec}, ops
// {OP: {count, errors, not_found, ops_per_sec, latency_us {min, mean, p50,
// p90, p95, p99, p999, p9999, max}, intended_latency_us {...}, spectrum,
// intended_spectrum}}, warmup {duration_s, total, ops} (the same shapes),
// errors_by_kind, error_examples, retries_by_kind, late, verify {checked,
// lost, corrupt, examples}, thresholds [{expr, ok, value}], intervals [{t,
// length_s, phase, warmup, drain, inflight, late, target_ops_per_sec,
// retries_by_kind, ops {OP: {count, errors, not_found, p50_us, p99_us,
// max_us, ...}}, stores {ID: {OP: {...as ops}}}, merged (only when the
// record covers more than one status interval: run_log.h)}], stores {ID:
// {address, ops {OP: {...as ops}}, retries_by_kind}}, events [{t, kind,
// store, detail, count}], events_dropped, availability {window_s, slo,
// windows, broken, availability_pct, longest_gap_s, longest_gap_start_s,
// worst_window, broken_ranges, broken_ranges_dropped} (availability.h),
// cluster. OP names are lower case
// (spec.h); store IDs are TiKV's store ids, as strings (JSON keys).
//
// Every ops_per_sec is completed operations (successes and failures) over
// the time they took: the headline figures over duration_s (the run less
// its warm-up, the drain included), a phase's over its took_s.
//
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/recorder.h"
#include "report/availability.h"
#include "report/run_log.h"
#include "util/event_log.h"
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
  size_t loops = 0;    // event-loop threads
  size_t threads = 0;  // clients: the most operations in flight the workload allows
  std::string transport;
  std::string shard;  // "I/N"
  std::chrono::system_clock::time_point started_at;
  std::vector<workload::Phase> phases;  // as the schedule laid them out
  std::vector<double> phase_starts_s;
};

// One phase as it ran.
struct PhaseFigures {
  uint64_t count = 0, errors = 0, late = 0;
  std::chrono::nanoseconds took{0};  // from its start until its last operation ended
  std::optional<double> target_ops_per_sec;  // open loop
  bool ran = false;
};

// Everything measured.
struct RunFigures {
  const measure::Figures* totals = nullptr;
  std::chrono::nanoseconds recorded{0};
  const measure::Figures* warmup = nullptr;  // null: no warm-up
  std::chrono::nanoseconds warmup_time{0};
  std::vector<PhaseFigures> phases;  // beside RunInfo::phases, index for index
  // "phases", "duration", "operations", "records", "threshold" or "signal".
  std::string ended_by;
  std::map<std::string, uint64_t> retries_by_kind;
  std::optional<VerifySummary> verify;
  std::vector<ThresholdOutcome> thresholds;
  const std::vector<IntervalRecord>* intervals = nullptr;
  std::map<uint64_t, std::string> store_addresses;  // by store id
  std::map<uint64_t, std::map<std::string, uint64_t>> retries_by_store;  // store -> reason -> count
  std::vector<Event> events;  // in the order first seen
  uint64_t events_dropped = 0;  // past the log's bound
  std::optional<AvailabilitySummary> availability;
};

// An event as JSON: {t, kind, store, detail, count}; `t` in seconds.
nlohmann::json event_json(const Event& event);

nlohmann::json run_json(const RunInfo& info, const RunFigures& figures);

// "2026-11-29T21:55:00.123Z".
std::string iso8601(std::chrono::system_clock::time_point t);

}  // namespace tikvbench::report
