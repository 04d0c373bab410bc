// The HTML page of `tikv-bench compare A.json B.json --html FILE`: the
// comparison's table (run_comparison.h), then per operation type present
// in both runs its throughput and its p99 latency (from the intended start)
// over time, run A and run B as two lines on shared axes (time since each
// run's start, one value scale), so that a change shows where it happened
// in the run. Self-contained like the run report: no network, the same
// styles and hover script (page_assets.h).
//
// Thread safety: a pure function.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "report/run_comparison.h"

namespace tikvbench::report {

// `a` and `b` are the documents `comparison` was made from. Never throws
// for odd data: a missing series is an empty chart with a note.
std::string render_comparison_html(const Comparison& comparison, const nlohmann::json& a, const nlohmann::json& b,
                                   std::optional<double> bound_pct);

}  // namespace tikvbench::report
