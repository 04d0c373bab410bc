// Keys as people type and read them: printable bytes as they are, any other
// byte as \xNN, and a backslash as \\. The mock's admin commands and
// `tikv-bench raw` take keys this way and show them this way.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace tikvbench {

// Decodes \xNN escapes (and \\) in a key as typed. Throws
// std::invalid_argument on a malformed escape.
std::string unescape_key(std::string_view text);
// Shows a key with non-printable bytes as \xNN.
std::string escape_key(std::string_view key);

}  // namespace tikvbench
