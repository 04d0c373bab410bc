// The HTML report: one self-contained page (inline CSS, inline SVG charts, a
// small inline hover script; nothing fetched over the network) made from a
// run's JSON document (run_json.h): a header with the totals, thresholds,
// throughput, latency percentiles and errors over time with the phases
// shaded, the latency distribution as a percentile spectrum, the table of
// operations, errors and retries by kind, the verify results, the cluster
// and the workload spec.
//
// Thread safety: pure function.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace tikvbench::report {

// Returns the page as UTF-8 HTML. Every string from `run` is HTML-escaped.
// Renders whatever part of the document is there: a missing, null or
// mistyped field leaves its section out (or empty) and never throws, so a
// merged or partial run, or `{}`, still gives a page. Long runs are
// downsampled to at most about 1000 points per line, keeping the maximum
// of latency and error lines so peaks survive.
std::string render_html(const nlohmann::json& run);

}  // namespace tikvbench::report
