#include "cli/find_max_command.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/client_flags.h"
#include "cli/find_max_session.h"
#include "report/availability.h"
#include "util/duration.h"
#include "util/output_file.h"
#include "workload/workload_file.h"

namespace tikvbench::cli {
namespace {

struct FindMaxFlags {
  ClientFlags client;
  std::vector<std::string> files;
  std::vector<std::string> overrides;
  std::vector<std::string> slo;
  int64_t start = 1000;
  std::optional<int64_t> max;
  std::string step_duration = "10s";
  std::string precision = "2%";
  std::optional<uint64_t> seed;
  std::string grace = "10s";
  std::string json;
  std::string html;
  CLI::Option* pd_option = nullptr;
};

// Every --slo (report::parse_slo: thresholds split at commas).
std::vector<report::Threshold> parse_slos(const std::vector<std::string>& given) {
  std::vector<report::Threshold> slo;
  for (const auto& text : given) {
    for (auto& threshold : report::parse_slo(text)) slo.push_back(std::move(threshold));
  }
  return slo;
}

// "2%" or "0.02": above 0, below 1.
double parse_precision(const std::string& text) {
  std::string_view number = text;
  const bool percent = number.ends_with('%');
  if (percent) number.remove_suffix(1);
  double value = 0;
  const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (percent) value /= 100;
  if (number.empty() || ec != std::errc() || ptr != number.data() + number.size() || !(value > 0) || !(value < 1)) {
    throw std::invalid_argument(
        fmt::format("--precision: '{}' is not a percentage (2%) or a fraction (0.02) above 0 and below 1", text));
  }
  return value;
}

std::chrono::nanoseconds parse_positive_duration(const std::string& text, std::string_view flag, bool zero_ok) {
  std::chrono::nanoseconds value{0};
  try {
    value = parse_duration(text);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("{}: {}", flag, e.what()));
  }
  if (value.count() < 0 || (!zero_ok && value.count() == 0)) {
    throw std::invalid_argument(fmt::format("{}: must be above 0", flag));
  }
  return value;
}

int execute_find_max(const FindMaxFlags& flags) {
  // Everything that can be refused is, before anything connects.
  FindMaxOptions options;
  options.slo = parse_slos(flags.slo);
  if (flags.start < 1) throw std::invalid_argument(fmt::format("--start: {} must be at least 1 ops/s", flags.start));
  if (flags.max && *flags.max < flags.start) {
    throw std::invalid_argument(fmt::format("--max: {} is below --start ({})", *flags.max, flags.start));
  }
  options.search.start = flags.start;
  options.search.max = flags.max;
  options.search.precision = parse_precision(flags.precision);
  options.step_duration = parse_positive_duration(flags.step_duration, "--step-duration", false);
  options.warmup = std::min<std::chrono::nanoseconds>(options.step_duration, std::chrono::seconds(1));
  options.grace = parse_positive_duration(flags.grace, "--grace", true);
  if (!flags.json.empty()) check_writable(flags.json, "--json");
  if (!flags.html.empty()) check_writable(flags.html, "--html");
  options.json_path = flags.json;
  options.html_path = flags.html;

  auto loaded = workload::read_workload(flags.files, flags.overrides);
  for (const auto& warning : loaded.warnings) fmt::print(stderr, "tikv-bench: warning: {}\n", warning);
  options.spec = std::move(loaded.spec);
  if (flags.seed) options.spec.seed = *flags.seed;
  if (options.spec.seed == 0) {
    options.spec.seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  workload::validate(options.spec);

  options.client = flags.client.options();
  const auto& cluster = options.spec.cluster;
  const bool pd_given = flags.pd_option != nullptr && flags.pd_option->count() > 0;
  if (!pd_given && !cluster.pd.empty()) options.client.pd = cluster.pd;
  if (cluster.conns) options.client.transport_options.conns = *cluster.conns;
  if (cluster.max_batch) options.client.transport_options.max_batch = *cluster.max_batch;
  if (cluster.api_version && *cluster.api_version == "v2") options.client.api_version = kvrpcpb::V2;
  return find_max(std::move(options));
}

}  // namespace

void add_find_max_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<FindMaxFlags>();
  auto* command = app.add_subcommand(
      "find-max", "Find the highest open-loop rate the cluster holds within an SLO (rising steps, then bisection)");
  command
      ->add_option("-P,--property_file,--workload", flags->files,
                   "Workload file: YAML, or go-ycsb properties files (repeatable, merged in order); its load and "
                   "phases are replaced by each step's rate")
      ->required();
  command->add_option("-p,--prop,--property", flags->overrides, "Override a go-ycsb property: name=value (repeatable)");
  command
      ->add_option("--slo", flags->slo,
                   "The SLO, as thresholds: 'read.p99<10ms', or several 'read.p99<10ms,error_rate<1%' (repeatable)")
      ->required();
  command->add_option("--start", flags->start, "The first step's rate, ops/s; each rising step doubles it")
      ->capture_default_str();
  command->add_option("--step-duration", flags->step_duration, "How long each step holds its rate")
      ->capture_default_str();
  command->add_option("--max", flags->max, "No step above this rate, ops/s");
  command->add_option("--precision", flags->precision,
                      "Stop bisecting once the broken rate is within this of the held one: 2% or 0.02")
      ->capture_default_str();
  command->add_option("--seed", flags->seed, "Seed for every random choice (default: from the workload, else the clock)");
  command->add_option("--grace", flags->grace, "After Ctrl-C or SIGTERM, how long operations in flight may finish")
      ->capture_default_str();
  command->add_option("--json", flags->json, "Write the steps and the answer as JSON");
  command->add_option("--html", flags->html, "Write the curve and the steps as a self-contained HTML page");
  flags->client.add_to(*command, /*pd_default=*/true);
  flags->pd_option = command->get_option("--pd");
  command->callback([flags, &exit_code] { exit_code = execute_find_max(*flags); });
}

}  // namespace tikvbench::cli
