#include "cli/flag_suggestion.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace tikvbench::cli {

size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus swaps of neighbours.
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::optional<std::string> suggest_flag(const CLI::App& command, std::string_view unknown) {
  const auto name = unknown.substr(0, unknown.find('='));  // --duraton=5s
  if (!name.starts_with("--")) return std::nullopt;
  const auto bare = name.substr(2);
  std::optional<std::string> best;
  size_t best_distance = 3;
  for (const CLI::Option* option : command.get_options()) {
    for (const auto& long_name : option->get_lnames()) {
      const size_t distance = edit_distance(bare, long_name);
      if (distance < best_distance && distance * 3 < long_name.size()) {
        best_distance = distance;
        best = "--" + long_name;
      }
    }
  }
  return best;
}

std::string typo_hint(const CLI::App& app, int argc, const char* const* argv) {
  const CLI::App* command = nullptr;
  for (int i = 1; i < argc && command == nullptr; ++i) {
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
      if (sub->check_name(argv[i])) command = sub;
    }
  }
  if (command == nullptr) return {};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!arg.starts_with("--")) continue;
    const auto name = std::string(arg.substr(2, arg.find('=') == std::string_view::npos ? std::string_view::npos
                                                                                          : arg.find('=') - 2));
    bool known = false;
    for (const CLI::Option* option : command->get_options()) {
      if (option->check_lname(name)) known = true;
    }
    if (known) continue;
    if (const auto suggestion = suggest_flag(*command, arg)) {
      return fmt::format(" (did you mean {}?)", *suggestion);
    }
  }
  return {};
}

}  // namespace tikvbench::cli
