// The commands that work on saved results:
//   report RUN.json                      print a saved run's summary
//   report RUN.json --html OUT           render a saved run as HTML
//   merge A.hlog B.hlog ... [--json OUT] [--html OUT] [--interval 1s]
//                                        merge the HdrHistogram logs of
//                                        several generators on absolute time
//                                        into one result
// merge refuses a log given twice (the same file by any path, or a copy
// with the same bytes); the merged run lasts the logs' time span, first
// interval start to last interval end, which is also its Takes(s).
// Unreadable or malformed input: one line naming the file, exit 2.
#pragma once

#include <CLI/CLI.hpp>  // the whole of it: App alone leaves Formatter and Config undefined

namespace tikvbench::cli {

void add_report_commands(CLI::App& app, int& exit_code);

}  // namespace tikvbench::cli
