#include "cli/report_command.h"

#include <sys/stat.h>

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/client_flags.h"
#include "cli/exit_codes.h"
#include "cli/run_store.h"
#include "report/html_report.h"
#include "report/json_summary.h"
#include "report/log_merge.h"
#include "report/summary.h"
#include "util/duration.h"
#include "util/file_text.h"
#include "util/output_file.h"

namespace tikvbench::cli {
namespace {

// Refuses a log given twice as the same file: the same path, or the same
// device and inode through another path or a link. It would count its
// operations twice. A path that cannot be examined is left to the reading.
void refuse_repeated_files(const std::vector<std::string>& logs) {
  std::map<std::pair<dev_t, ino_t>, const std::string*> seen;
  for (const auto& path : logs) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) continue;
    const auto [earlier, fresh] = seen.emplace(std::make_pair(status.st_dev, status.st_ino), &path);
    if (fresh) continue;
    if (*earlier->second == path) {
      throw std::invalid_argument(fmt::format("merge: {} is given twice (its operations would count twice)", path));
    }
    throw std::invalid_argument(fmt::format("merge: {} and {} are the same log (its operations would count twice)",
                                            *earlier->second, path));
  }
}

struct MergeFlags {
  std::vector<std::string> logs;
  std::string json, html, interval = "1s";
  // A distributed run's results kept in the cluster (RunStore).
  ClientFlags client;
  std::string run_id;
  bool cleanup = false;
};

// Shard results a distributed run kept in the cluster: their HdrHistogram
// logs (name, text), and the failures their JSON documents counted, added
// into `errors` (the logs hold successes only).
std::vector<report::LogSource> stored_logs(RunStore& store, measure::Figures& errors) {
  auto logs = store.files("hlog");
  if (!logs.ok()) throw std::runtime_error(fmt::format("merge --run-id {}: {}", store.run_id(), logs.status().message()));
  if (logs->empty()) {
    throw std::invalid_argument(
        fmt::format("merge --run-id {}: no shard kept results under tikv-bench/{}/ in this cluster", store.run_id(),
                    store.run_id()));
  }
  std::vector<report::LogSource> out;
  for (auto& [shard, text] : *logs) out.push_back({fmt::format("run {} shard {}", store.run_id(), shard), std::move(text)});
  if (auto documents = store.files("json"); documents.ok()) {
    for (const auto& [shard, text] : *documents) report::add_failures_from_json(text, errors);
  }
  return out;
}

int merge(const MergeFlags& flags) {
  if (!flags.json.empty()) check_writable(flags.json, "--json");
  if (!flags.html.empty()) check_writable(flags.html, "--html");
  const double interval = std::chrono::duration<double>(parse_duration(flags.interval)).count();
  if (!(interval > 0)) throw std::invalid_argument("--interval: must be above 0");
  if (flags.logs.empty() && flags.run_id.empty()) {
    throw std::invalid_argument("merge: give HdrHistogram logs, or --pd and --run-id of a distributed run");
  }
  if (flags.cleanup && flags.run_id.empty()) throw std::invalid_argument("--cleanup: goes with --run-id");
  refuse_repeated_files(flags.logs);
  // The logs, from the cluster and from files.
  std::vector<report::LogSource> sources;
  measure::Figures stored_errors;
  std::unique_ptr<tikv::ClusterClient> client;
  std::optional<RunStore> store;
  if (!flags.run_id.empty()) {
    auto connected = tikv::ClusterClient::connect(flags.client.options());
    if (!connected.ok()) {
      fmt::print(stderr, "tikv-bench: {}\n", connected.status().message());
      return connect_exit_code(connected.status());
    }
    client = std::move(connected).value();
    store.emplace(*client, flags.run_id);
    sources = stored_logs(*store, stored_errors);
  }
  for (const auto& path : flags.logs) sources.push_back({path, read_file_text(path)});
  const auto merged = report::merge_logs(sources, std::chrono::duration<double>(interval), stored_errors);
  const auto& document = merged.document;
  fmt::print("{}", report::go_ycsb_lines(merged.totals, merged.recorded));
  fmt::print("{}", report::summary_table(merged.totals, merged.recorded));
  try {
    if (!flags.json.empty()) write_file_atomically(flags.json, document.dump(2) + "\n", "--json");
    if (!flags.html.empty()) write_file_atomically(flags.html, report::render_html(document), "--html");
  } catch (const std::runtime_error& e) {
    fmt::print(stderr, "tikv-bench: {}\n", e.what());
    return kExitRuntime;
  }
  if (flags.cleanup) {
    if (const auto removed = store->remove_all(); !removed.ok()) {
      fmt::print(stderr, "tikv-bench: --cleanup: run {}: {}\n", flags.run_id, removed.message());
      return kExitRuntime;
    }
    fmt::print("merge: removed run {}'s keys (tikv-bench/{}/) from the cluster\n", flags.run_id, flags.run_id);
  }
  return kExitOk;
}

}  // namespace

void add_report_commands(CLI::App& app, int& exit_code) {
  auto report_flags = std::make_shared<std::pair<std::string, std::string>>();
  auto* report = app.add_subcommand("report", "Print a saved run's (--json output) summary, or render it as HTML");
  report->add_option("RUN", report_flags->first, "A run's JSON, as --json writes it")->required();
  report->add_option("--html", report_flags->second, "The HTML file to write (without it: print the summary)");
  report->callback([report_flags, &exit_code] {
    const auto& [input, output] = *report_flags;
    if (!output.empty()) check_writable(output, "--html");
    nlohmann::json document;
    try {
      document = nlohmann::json::parse(read_file_text(input));
    } catch (const nlohmann::json::parse_error& e) {
      throw std::invalid_argument(fmt::format("{}: not JSON: {}", input, e.what()));
    }
    if (!document.is_object()) throw std::invalid_argument(fmt::format("{}: not a tikv-bench run", input));
    if (output.empty()) {
      fmt::print("{}", report::json_summary(document));
      exit_code = kExitOk;
      return;
    }
    try {
      write_file_atomically(output, report::render_html(document), "--html");
      exit_code = kExitOk;
    } catch (const std::runtime_error& e) {
      fmt::print(stderr, "tikv-bench: {}\n", e.what());
      exit_code = kExitRuntime;
    }
  });

  auto merge_flags = std::make_shared<MergeFlags>();
  auto* merge_command = app.add_subcommand("merge", "Merge HdrHistogram logs of several generators into one result");
  merge_command->add_option("LOGS", merge_flags->logs, "HdrHistogram logs written with --hdr-log");
  merge_command->add_option("--run-id", merge_flags->run_id,
                            "Also merge the shard results a distributed run kept in the cluster (needs --pd)");
  merge_command->add_flag("--cleanup", merge_flags->cleanup, "With --run-id: remove the run's keys after merging");
  merge_flags->client.add_to(*merge_command);
  merge_command->add_option("--json", merge_flags->json, "Write the merged run as JSON");
  merge_command->add_option("--html", merge_flags->html, "Write the merged run as HTML");
  merge_command->add_option("--interval", merge_flags->interval, "Interval of the merged time series")
      ->capture_default_str();
  merge_command->callback([merge_flags, &exit_code] { exit_code = merge(*merge_flags); });
}

}  // namespace tikvbench::cli
