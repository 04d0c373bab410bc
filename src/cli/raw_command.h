// `tikv-bench raw`: single raw operations from the command line, through the
// full client (region cache, batch transport, retries):
//   raw get KEY | raw put KEY VALUE | raw delete KEY
//   raw scan START [END] [--limit N] [--reverse] [--key-only]
//   raw delete-range START [END]
// Output: the value, "key<TAB>value" lines, or nothing; "(not found)" on
// stderr with exit code 1 for a missing key. PD unreachable: exit code 3.
#pragma once

#include <CLI/CLI.hpp>  // the whole of it: App alone leaves Formatter and Config undefined

namespace tikvbench::cli {

void add_raw_command(CLI::App& app, int& exit_code);

}  // namespace tikvbench::cli
