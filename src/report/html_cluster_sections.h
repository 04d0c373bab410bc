// The sections of the HTML report that show what the cluster did, read
// from a run's JSON document: per TiKV store a latency-over-time chart and
// a table of its figures and retries; the event timeline as a table; and
// availability (windows, the SLO, the longest stretch without a success,
// the worst window). Each returns "" when the run has nothing to show.
//
// Thread safety: pure functions.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "report/svg_chart.h"

namespace tikvbench::report {

// `time_base`: the x axis every time chart of the page shares (domain,
// phase bands, SLO alerts, event markers); its series are ignored.
std::string stores_section(const nlohmann::json& run, const ChartSpec& time_base);
std::string events_section(const nlohmann::json& run);
std::string availability_section(const nlohmann::json& run);

}  // namespace tikvbench::report
