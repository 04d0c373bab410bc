// The workload commands:
//   load -P FILE [-p name=value]...   insert the records (go-ycsb load)
//   run  -P FILE [-p name=value]...   run the operation mix (go-ycsb run);
//                                     without --pd, the embedded mock cluster
//                                     is started and loaded first
//   validate FILE                     print the resolved workload
//   keys FILE --count N               print the first N operations, offline
// Bad input: one line naming the file:line:column or the flag, exit code 2.
// PD unreachable: exit 3. Lost or corrupt data under --verify: exit 1.
// SIGINT/SIGTERM: the run stops, reports, and exits 130/143.
#pragma once

#include <CLI/CLI.hpp>  // the whole of it: App alone leaves Formatter and Config undefined

namespace tikvbench::cli {

void add_workload_commands(CLI::App& app, int& exit_code);

}  // namespace tikvbench::cli
