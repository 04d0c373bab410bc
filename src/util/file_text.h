// Reading a whole input file (a workload, a saved run, a log) for the
// commands that take one.
//
// Thread safety: a pure function (it reads the file system).
#pragma once

#include <string>

namespace tikvbench {

// Returns the bytes of the file at `path`. Throws std::invalid_argument
// "PATH: cannot read: REASON" when it is missing, a directory or unreadable.
std::string read_file_text(const std::string& path);

}  // namespace tikvbench
