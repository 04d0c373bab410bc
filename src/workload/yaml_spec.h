// Reading a workload from YAML (the format is documented in
// docs/workloads.md). Every key is checked: an unknown key, a value of the
// wrong type or an impossible value throws std::invalid_argument whose
// message starts with "FILE:LINE:COLUMN: " (1-based) at the offending node.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "workload/spec.h"

namespace tikvbench::workload {

// Parses `text` as a workload; `source` names it in messages (a path).
// Fields not given keep WorkloadSpec's defaults. The result is validated.
WorkloadSpec spec_from_yaml(std::string_view text, const std::string& source);

// True when `text` looks like a YAML workload rather than a .properties
// file: it parses as YAML to a mapping whose keys are all known top-level
// workload keys. (A .properties file is a single scalar or an error.)
bool looks_like_yaml(std::string_view text);

}  // namespace tikvbench::workload
