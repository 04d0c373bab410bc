// `tikv-bench mock-cluster`: runs the mock cluster as a process. Prints the
// PD and store addresses and a line "ready", then reads admin commands from
// standard input (see mock/admin_commands.h) until SIGINT, SIGTERM or the end
// of input with --exit-on-eof.
#pragma once

#include <CLI/CLI.hpp>  // the whole of it: App alone leaves Formatter and Config undefined

namespace tikvbench::cli {

// Adds the subcommand to `app`; when it is chosen, its run sets `exit_code`.
void add_mock_cluster_command(CLI::App& app, int& exit_code);

}  // namespace tikvbench::cli
