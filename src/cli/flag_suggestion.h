// Suggestions for mistyped flags: the known flag of a command nearest to an
// unknown one, as `--duraton`: did you mean `--duration`?
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace tikvbench::cli {

// The edit distance between `a` and `b` (insertions, deletions,
// substitutions and swaps of neighbours, each 1).
size_t edit_distance(std::string_view a, std::string_view b);

// The long flag of `command` ("--duration") nearest to `unknown`
// ("--duraton"), when it is near enough to be a typo of it: at most 2 edits,
// and fewer than a third of its length. Nothing otherwise.
std::optional<std::string> suggest_flag(const CLI::App& command, std::string_view unknown);

// For a parse error of `argv`: " (did you mean --duration?)" for the first
// argument that is no flag of the subcommand named in it and has a
// suggestion, else "".
std::string typo_hint(const CLI::App& app, int argc, const char* const* argv);

}  // namespace tikvbench::cli
