// A saved run's summary for people, from its JSON document (run_json.h):
// what `tikv-bench report RUN.json` prints without --html. The table has the
// columns of the end-of-run table (summary.h: count, errors, ops/s, then
// p50/p99/p99.9/max from the send and from the intended start), read from
// the document instead of histograms:
//
//   run of workloada (workloads/workloada.yaml), started 2026-11-29T21:55:00.123Z, 10.0s
//   operation               count   errors      ops/s |      p50 ...
//   read                     5012        0      501.2 |    850us ...
//   (latency from the send | i.: from the intended start)
//   total: count 10017, errors 3, 1001.7 ops/s
//   errors: timeout 3
//   threshold read.p99<10ms: ok (1.2ms)
//
// Thread safety: a pure function.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace tikvbench::report {

// Returns the summary as lines of text. A missing, null or mistyped field
// shows as "-" or leaves its line out; never throws, so a merged or
// partial run, or `{}`, still gives a summary.
std::string json_summary(const nlohmann::json& run);

}  // namespace tikvbench::report
