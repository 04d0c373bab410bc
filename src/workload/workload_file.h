// Reading the workload a command names with -P: a YAML workload (by its
// extension .yaml/.yml, or by its content) or a go-ycsb .properties file,
// then the -p name=value overrides in order. Overrides use go-ycsb's property
// names for either kind of file. The result is validated.
//
// Thread safety: pure functions (they read files).
#pragma once

#include <string>
#include <vector>

#include "workload/spec.h"

namespace tikvbench::workload {

struct LoadedWorkload {
  WorkloadSpec spec;
  std::vector<std::string> warnings;  // properties go-ycsb ignores, and so do we
  bool bounds_overridden = false;     // a -p named a bound: the file's were dropped
  bool yaml = false;                  // read from a YAML workload
};

// True when the file at `path` is a YAML workload (by its name, else its
// content); throws std::invalid_argument when it cannot be read.
bool is_yaml_file(const std::string& path);

// go-ycsb's --threads N on a YAML workload: the load's concurrency, the
// concurrency of the base load and of every constant closed-loop phase
// (ramps and steps keep their own levels), and the in-flight cap of open
// loop unless the workload set max_inflight.
void apply_threads(WorkloadSpec& spec, int64_t threads);

// Throws std::invalid_argument naming the file, line and column, or "-p",
// for anything that does not read. A bound among the overrides (-p
// operationcount, -p maxexecutiontime) replaces the file's bounds: the
// file's operation count and duration are dropped, and each bound given
// applies (whichever is reached first ends the run).
LoadedWorkload read_workload(const std::string& path, const std::vector<std::string>& overrides);
// Several files, as go-ycsb's repeated -P: go-ycsb properties files merged
// in order (a later file's property replaces an earlier one's), then the
// overrides. A YAML workload must be the only file.
LoadedWorkload read_workload(const std::vector<std::string>& paths, const std::vector<std::string>& overrides);

// The workload as YAML that spec_from_yaml reads back to the same spec,
// every default written out. One exception: U+FFFE and U+FFFF in a string
// (possible from a .properties \uFFFF escape) are not printable in YAML,
// and yaml-cpp writes them as U+FFFD.
std::string spec_to_yaml(const WorkloadSpec& spec);

}  // namespace tikvbench::workload
