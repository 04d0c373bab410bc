// RunTimelines: what a saved run's JSON document says over time, as the HTML
// report's charts draw it: the phases as shaded bands, and per interval each
// operation type's rate, error rate and latency percentiles, the total and
// target rates, and the retries by kind. Read without throwing: a missing
// or odd field leaves a gap (NaN), never an error.
//
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/svg_chart.h"

namespace tikvbench::report {

// Every operation type the run has, in its totals or in an interval: the
// known ones in report order (op_type.h), then any others by name.
std::vector<std::string> op_names(const nlohmann::json& run);
// `names` in that order, each once.
std::vector<std::string> in_report_order(std::vector<std::string> names);

// The run's phases, from its phase list (and the drain after them), or,
// for a partial run without one, from the phase names of its intervals.
std::vector<Band> phase_bands(const nlohmann::json& run);

// One operation type's series, a point per interval (rates per second,
// latencies in microseconds).
struct OpTimeline {
  std::vector<Point> rate, errors, p50, p99, p999, max;
  double total_errors = 0;
};

// Every series of a run, for the operation types asked for.
struct Timelines {
  std::map<std::string, OpTimeline> ops;
  std::vector<Point> total_rate, total_errors, target;
  std::map<std::string, std::vector<Point>> retries;  // per second, by kind
};

Timelines timelines(const nlohmann::json& run, const std::vector<std::string>& ops);

// The run's events as markers ("12.3s store_down store 1: 127.0.0.1:20160
// x3" on hover): the first 1,000.
std::vector<Marker> event_markers(const nlohmann::json& run);
// The windows that broke the SLO (availability.broken_ranges), shaded.
std::vector<Alert> slo_alerts(const nlohmann::json& run);

// One store's p99 from the intended start per interval, by operation type
// (intervals[].stores[ID][OP].p99_us).
std::map<std::string, std::vector<Point>> store_p99(const nlohmann::json& run, const std::string& store);

}  // namespace tikvbench::report
