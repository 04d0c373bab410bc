// The find-max command:
//   find-max -P FILE [-p name=value]... --slo EXPR[,EXPR...] [--start RATE]
//            [--step-duration D] [--max RATE] [--precision P]
//            [--json FILE] [--html FILE] [client flags]
// finds the highest open-loop rate the cluster holds within the SLO
// (find_max_session.h says how and what it exits with). The workload and
// client flags are run's; the workload's load and phases are replaced by
// each step's rate. Bad input: one line naming the flag, exit code 2.
#pragma once

#include <CLI/CLI.hpp>  // the whole of it: App alone leaves Formatter and Config undefined

namespace tikvbench::cli {

void add_find_max_command(CLI::App& app, int& exit_code);

}  // namespace tikvbench::cli
