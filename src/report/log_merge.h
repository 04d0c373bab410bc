// Merging HdrHistogram logs (as `--hdr-log` writes them, one per generator
// or shard) on absolute time into one run: `tikv-bench merge`.
//
// The merged run lasts the logs' time span, first interval start to last
// interval end over all of them, which is also its Takes(s); each logged
// interval counts in the merged interval where it ends. The logs hold
// successes only: failures come from the shards' JSON documents
// (add_failures_from_json). Tags of other tools are skipped.
//
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/recorder.h"

namespace tikvbench::report {

struct LogSource {
  std::string name;  // a path, or what names it in errors ("run R shard 2")
  std::string text;
};

struct MergedRun {
  measure::Figures totals;
  std::chrono::nanoseconds recorded{0};  // the logs' time span
  nlohmann::json document;               // the run's JSON (run_json.h)
};

// Throws std::invalid_argument "NAME: REASON" for a malformed log, one that
// holds the same bytes as an earlier one (its operations would count
// twice), and when the logs hold no tikv-bench interval. `failures` are
// added to the totals (per operation type errors and errors by kind).
MergedRun merge_logs(const std::vector<LogSource>& sources, std::chrono::duration<double> interval,
                     const measure::Figures& failures);

// Adds the failures a run's JSON document counted (ops.OP.errors and
// errors_by_kind) into `into`; a text that is not a JSON object adds none.
void add_failures_from_json(std::string_view json_text, measure::Figures& into);

}  // namespace tikvbench::report
