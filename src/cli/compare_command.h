// The command that compares two saved runs:
//   compare A.json B.json [--max-regression 5%] [--alpha 0.05]
//                         [--html OUT] [--json OUT]
// A is the baseline, B the candidate; both are `run --json` documents.
// Prints per operation type the whole-run throughput and latency
// percentiles of both with the change and whether it is significant over
// the runs' intervals (report/run_comparison.h).
//
// Exit codes: 1 when --max-regression is given and a significant change for
// the worse exceeds it; 2 for bad input (a file missing or not a run with
// intervals, a bad flag value), one line naming the file or flag; 4 when an
// output file cannot be written; else 0, whatever the comparison says.
#pragma once

#include <CLI/CLI.hpp>  // the whole of it: App alone leaves Formatter and Config undefined

namespace tikvbench::cli {

void add_compare_command(CLI::App& app, int& exit_code);

}  // namespace tikvbench::cli
