#include "cli/compare_command.h"

#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "report/comparison_html.h"
#include "report/run_comparison.h"
#include "util/file_text.h"
#include "util/output_file.h"

namespace tikvbench::cli {
namespace {

struct CompareFlags {
  std::string a, b;
  std::string max_regression;  // "5%"; empty: no bound
  double alpha = 0.05;
  std::string html, json;
};

// "5%" -> 5. Throws std::invalid_argument naming the flag.
double parse_percent(const std::string& value) {
  const auto bad = [&](std::string_view why) {
    return std::invalid_argument(fmt::format("--max-regression {}: {}", value, why));
  };
  if (value.empty() || value.back() != '%') throw bad("give a percentage, e.g. 5%");
  const std::string digits = value.substr(0, value.size() - 1);
  size_t used = 0;
  double pct = 0;
  try {
    pct = std::stod(digits, &used);
  } catch (const std::exception&) {
    throw bad("not a number");
  }
  if (used != digits.size() || !std::isfinite(pct)) throw bad("not a number");
  if (pct < 0) throw bad("must be 0% or more");
  return pct;
}

// The document in `path`. Throws std::invalid_argument naming the file.
report::ComparedRun read_run(const std::string& path) {
  try {
    return {path, nlohmann::json::parse(read_file_text(path))};
  } catch (const nlohmann::json::parse_error& e) {
    throw std::invalid_argument(fmt::format("{}: not JSON: {}", path, e.what()));
  }
}

int compare(const CompareFlags& flags) {
  if (!(flags.alpha > 0 && flags.alpha < 1)) {
    throw std::invalid_argument(fmt::format("--alpha {}: must be between 0 and 1", flags.alpha));
  }
  const std::optional<double> bound =
      flags.max_regression.empty() ? std::nullopt : std::optional(parse_percent(flags.max_regression));
  if (!flags.html.empty()) check_writable(flags.html, "--html");
  if (!flags.json.empty()) check_writable(flags.json, "--json");
  const auto a = read_run(flags.a);
  const auto b = read_run(flags.b);
  const auto comparison = report::compare_runs(a, b, flags.alpha);
  if (!comparison.ok()) throw std::invalid_argument(comparison.status().message());
  fmt::print("{}", report::comparison_text(*comparison, bound));
  try {
    if (!flags.json.empty()) {
      write_file_atomically(flags.json, report::comparison_json(*comparison, bound).dump(2) + "\n", "--json");
    }
    if (!flags.html.empty()) {
      write_file_atomically(flags.html,
                            report::render_comparison_html(*comparison, a.document, b.document, bound), "--html");
    }
  } catch (const std::runtime_error& e) {
    fmt::print(stderr, "tikv-bench: {}\n", e.what());
    return kExitRuntime;
  }
  return bound && !report::regressions(*comparison, *bound).empty() ? kExitThresholdFailed : kExitOk;
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<CompareFlags>();
  auto* command = app.add_subcommand(
      "compare", "Compare two saved runs (--json output): the change per operation type and whether it is significant");
  command->add_option("A", flags->a, "The baseline run's JSON")->required();
  command->add_option("B", flags->b, "The candidate run's JSON")->required();
  command->add_option("--max-regression", flags->max_regression,
                      "Exit 1 when a significant change for the worse exceeds this, e.g. 5%");
  command->add_option("--alpha", flags->alpha, "Significance level of the rank test")->capture_default_str();
  command->add_option("--html", flags->html, "Write both runs on shared axes as HTML");
  command->add_option("--json", flags->json, "Write the comparison as JSON");
  command->callback([flags, &exit_code] { exit_code = compare(*flags); });
}

}  // namespace tikvbench::cli
