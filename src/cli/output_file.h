// Writing report files whole or not at all: the text goes to a temporary
// file beside the target, which is renamed over it once complete, so a
// reader (or a run stopped half way) never sees a half-written report.
//
// Thread safety: pure functions (they touch the file system).
#pragma once

#include <string>
#include <string_view>

namespace tikvbench::cli {

// Throws std::runtime_error "FLAG FILE: cannot write: REASON".
void write_file_atomically(const std::string& path, std::string_view text, std::string_view flag);

// Checks, before a run starts, that `path`'s directory exists and can be
// written. Throws std::invalid_argument "FLAG FILE: REASON".
void check_writable(const std::string& path, std::string_view flag);

}  // namespace tikvbench::cli
