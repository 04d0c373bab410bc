#include "cli/report_command.h"

#include <sys/stat.h>

#include <cmath>
#include <functional>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/client_flags.h"
#include "cli/exit_codes.h"
#include "cli/run_store.h"
#include "cli/output_file.h"
#include "report/hdr_log.h"
#include "report/html_report.h"
#include "report/json_summary.h"
#include "report/run_json.h"
#include "report/summary.h"
#include "util/duration.h"
#include "util/file_text.h"

namespace tikvbench::cli {
namespace {


// The operation type a log tag names, and whether it is the service
// latency ("read.service") rather than the intended-start one ("read").
std::optional<std::pair<size_t, bool>> op_of_tag(const std::string& tag) {
  const bool service = tag.ends_with(".service");
  const auto name = service ? tag.substr(0, tag.size() - 8) : tag;
  for (size_t i = 0; i < workload::kOpTypeCount; ++i) {
    if (workload::kOpTypeNames[i] == name) return std::make_pair(i, service);
  }
  return std::nullopt;
}

void merge_into(std::unique_ptr<measure::Histogram>& into, const measure::Histogram& from) {
  if (!into) into = measure::make_latency_histogram();
  (void)into->merge(from);
}

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

// Refuses a copy: a log with the same bytes as an earlier one (`texts`
// holds their hashes and paths so far; `text` is added).
void refuse_copies(std::vector<std::pair<size_t, std::string>>& texts, const std::string& path, std::string_view text) {
  const size_t hash = std::hash<std::string_view>{}(text);
  for (const auto& [other_hash, other] : texts) {
    // Hashes equal: compare the bytes, so a collision never refuses two logs.
    if (other_hash == hash && read_file_text(other) == text) {
      throw std::invalid_argument(fmt::format(
          "merge: {} holds the same bytes as {}: a copy of one log (its operations would count twice)", path, other));
    }
  }
  texts.emplace_back(hash, path);
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
std::vector<std::pair<std::string, std::string>> stored_logs(RunStore& store, measure::Figures& errors) {
  auto logs = store.files("hlog");
  if (!logs.ok()) throw std::runtime_error(fmt::format("merge --run-id {}: {}", store.run_id(), logs.status().message()));
  if (logs->empty()) {
    throw std::invalid_argument(
        fmt::format("merge --run-id {}: no shard kept results under tikv-bench/{}/ in this cluster", store.run_id(),
                    store.run_id()));
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [shard, text] : *logs) out.emplace_back(fmt::format("run {} shard {}", store.run_id(), shard), std::move(text));
  if (auto documents = store.files("json"); documents.ok()) {
    for (const auto& [shard, text] : *documents) {
      const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (!doc.is_object()) continue;
      for (size_t i = 0; i < workload::kOpTypeCount; ++i) {
        const auto op = doc.value("ops", nlohmann::json::object()).value(std::string(workload::kOpTypeNames[i]),
                                                                          nlohmann::json::object());
        errors.ops[i].errors += op.value("errors", uint64_t{0});
      }
      // A local: items() of a temporary would outlive it in the loop.
      const auto by_kind = doc.value("errors_by_kind", nlohmann::json::object());
      for (const auto& [kind, n] : by_kind.items()) {
        if (n.is_number_unsigned()) errors.errors_by_kind[kind] += n.get<uint64_t>();
      }
    }
  }
  return out;
}

int merge(const MergeFlags& flags) {
  if (!flags.json.empty()) check_writable(flags.json, "--json");
  if (!flags.html.empty()) check_writable(flags.html, "--html");
  const double interval = std::chrono::duration<double>(parse_duration(flags.interval)).count();
  if (!(interval > 0)) throw std::invalid_argument("--interval: must be above 0");
  struct Entry {
    size_t op;
    bool service;
    double start, length;
    measure::Histogram histogram;
  };
  if (flags.logs.empty() && flags.run_id.empty()) {
    throw std::invalid_argument("merge: give HdrHistogram logs, or --pd and --run-id of a distributed run");
  }
  if (flags.cleanup && flags.run_id.empty()) throw std::invalid_argument("--cleanup: goes with --run-id");
  refuse_repeated_files(flags.logs);
  // The sources: (name, text) of each log, from files and from the cluster.
  std::vector<std::pair<std::string, std::string>> sources;
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
  for (const auto& path : flags.logs) sources.emplace_back(path, read_file_text(path));
  std::vector<Entry> entries;
  std::vector<std::pair<size_t, std::string>> texts;
  // The logs' time span, first interval start to last interval end over all
  // of them: the merged run's duration and its go-ycsb Takes(s).
  double first = INFINITY, last = -INFINITY;
  for (auto& [path, source] : sources) {
    std::string bytes = std::move(source);
    refuse_copies(texts, path, bytes);
    std::istringstream text(std::move(bytes));
    report::HdrLogReader reader(text);
    for (;;) {
      auto next = reader.next();
      if (!next.ok()) throw std::invalid_argument(fmt::format("{}: {}", path, next.status().message()));
      if (!next->has_value()) break;
      auto& entry = **next;
      const auto op = op_of_tag(entry.tag);
      if (!op) continue;  // a tag of another tool
      first = std::min(first, entry.absolute_start_seconds);
      last = std::max(last, entry.absolute_start_seconds + entry.length_seconds);
      entries.push_back({op->first, op->second, entry.absolute_start_seconds, entry.length_seconds,
                         std::move(entry.histogram)});
    }
  }
  if (entries.empty()) throw std::invalid_argument("merge: the logs hold no tikv-bench intervals");
  // Totals, and intervals on absolute time: an entry counts in the bucket
  // where it ends.
  measure::Figures totals;
  std::map<int64_t, measure::Figures> buckets;
  for (const auto& entry : entries) {
    auto& total = totals.ops[entry.op];
    const auto bucket = static_cast<int64_t>(std::ceil((entry.start + entry.length - first) / interval - 1e-9));
    auto& in_bucket = buckets[std::max<int64_t>(bucket, 1)].ops[entry.op];
    if (entry.service) {
      merge_into(total.ok_service, entry.histogram);
      merge_into(in_bucket.ok_service, entry.histogram);
    } else {
      merge_into(total.ok_intended, entry.histogram);
      merge_into(in_bucket.ok_intended, entry.histogram);
      total.count += static_cast<uint64_t>(entry.histogram.total_count());
      in_bucket.count += static_cast<uint64_t>(entry.histogram.total_count());
    }
  }
  report::RunLog log(std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
                         std::chrono::duration<double>(first))));
  int64_t previous = 0;
  for (const auto& [bucket, figures] : buckets) {
    const auto to_ns = [](double s) { return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(s)); };
    report::IntervalInfo info;
    info.elapsed = to_ns(static_cast<double>(bucket) * interval);
    info.length = to_ns(static_cast<double>(bucket - previous) * interval);
    info.phase = "merged";
    log.add(std::move(info), figures);
    previous = bucket;
  }
  report::RunInfo info;
  std::vector<std::string> names;
  for (const auto& [name, text] : sources) names.push_back(name);
  info.workload_name = fmt::format("merged from {} logs", sources.size());
  info.workload_source = fmt::format("{}", fmt::join(names, ", "));
  info.started_at = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(first)));
  // The failures the shards' JSON documents counted (the logs hold none).
  for (size_t i = 0; i < totals.ops.size(); ++i) totals.ops[i].errors += stored_errors.ops[i].errors;
  for (const auto& [kind, n] : stored_errors.errors_by_kind) totals.errors_by_kind[kind] += n;
  report::RunFigures figures;
  figures.totals = &totals;
  figures.recorded = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(last - first));
  figures.intervals = &log.intervals();
  const auto document = report::run_json(info, figures);
  fmt::print("{}", report::go_ycsb_lines(totals, figures.recorded));
  fmt::print("{}", report::summary_table(totals, figures.recorded));
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
