#include "cli/workload_command.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/client_flags.h"
#include "cli/exit_codes.h"
#include "cli/run_session.h"
#include "report/availability.h"
#include "util/duration.h"
#include "workload/operation_source.h"
#include "workload/runner.h"
#include "workload/workload_file.h"

namespace tikvbench::cli {
namespace {

struct WorkloadFlags {
  ClientFlags client;
  std::string file;                // validate, keys
  std::vector<std::string> files;  // load, run: -P, repeatable
  std::string db;                  // go-ycsb's database argument
  std::vector<std::string> overrides;
  std::optional<int64_t> threads;  // go-ycsb's --threads: threadcount
  std::optional<int64_t> target;   // go-ycsb's --target: target
  std::string table;               // go-ycsb's --table: table
  std::string interval;            // go-ycsb's --interval: seconds, or a duration
  std::string status_format = "tikv-bench";
  std::string run_id;
  std::string barrier_timeout = "10m";
  std::string duration;
  std::optional<int64_t> ops;
  std::optional<uint64_t> seed;
  std::string shard = "0/1";
  bool verify = false;
  std::string status_interval = "1s";
  bool plain_status = false;
  std::string grace = "10s";
  std::vector<std::string> thresholds;
  std::string metrics_addr;
  std::string events;
  std::string window;
  std::string slo;
  report::ReportPaths reports;
  int mock_stores = 3;
  CLI::Option* pd_option = nullptr;
  int64_t count = 20;  // keys
};

workload::Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  size_t index = 0, count = 0;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    size_t used = 0;
    index = std::stoul(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("junk");
    count = std::stoul(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument("junk");
  } catch (const std::exception&) {
    throw std::invalid_argument(fmt::format("--shard: '{}' is not I/N (e.g. 0/4)", text));
  }
  if (count == 0 || index >= count) {
    throw std::invalid_argument(fmt::format("--shard: '{}': I must be below N (0 <= I < N)", text));
  }
  return {index, count};
}

std::chrono::nanoseconds parse_flag_duration(const std::string& text, std::string_view flag, bool zero_ok = false) {
  std::chrono::nanoseconds value{0};
  try {
    value = parse_duration(text);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("{}: {}", flag, e.what()));
  }
  if (!zero_ok && value.count() <= 0) throw std::invalid_argument(fmt::format("{}: must be above 0", flag));
  return value;
}

// go-ycsb's flags as the properties they stand for, after the -p ones (go-ycsb
// sets them last, so they win).
std::vector<std::string> overrides_of(const WorkloadFlags& flags, bool yaml) {
  auto overrides = flags.overrides;
  if (flags.threads) {
    if (*flags.threads < 1) throw std::invalid_argument("--threads: must be at least 1");
    // A YAML workload takes it apart (apply_threads): its phases too.
    if (!yaml) overrides.push_back(fmt::format("threadcount={}", *flags.threads));
  }
  if (flags.target) overrides.push_back(fmt::format("target={}", *flags.target));
  if (!flags.table.empty()) overrides.push_back("table=" + flags.table);
  return overrides;
}

// --interval: go-ycsb's whole seconds, or a duration such as 500ms.
std::chrono::nanoseconds parse_interval(const std::string& text) {
  const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  return parse_flag_duration(digits ? text + "s" : text, "--interval");
}

// The workload with the command-line bounds applied.
workload::WorkloadSpec resolve(const WorkloadFlags& flags) {
  if (!flags.db.empty() && flags.db != "tikv") {
    throw std::invalid_argument(fmt::format(
        "database '{}': tikv-bench drives TiKV only; give go-ycsb's 'tikv' (as in `load tikv -P ...`) or nothing",
        flags.db));
  }
  const bool yaml = !flags.files.empty() && workload::is_yaml_file(flags.files.front());
  auto loaded = workload::read_workload(flags.files, overrides_of(flags, yaml));
  if (flags.threads && loaded.yaml) workload::apply_threads(loaded.spec, *flags.threads);
  for (const auto& warning : loaded.warnings) fmt::print(stderr, "tikv-bench: warning: {}\n", warning);
  auto spec = std::move(loaded.spec);
  // Bounds on the command line replace the file's; several given there:
  // whichever is reached first.
  if ((!flags.duration.empty() || flags.ops) && !loaded.bounds_overridden) spec.bounds = workload::RunBounds{};
  if (!flags.duration.empty()) {
    std::chrono::nanoseconds duration{0};
    try {
      duration = parse_duration(flags.duration);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("--duration: {}", e.what()));
    }
    if (duration.count() <= 0) throw std::invalid_argument("--duration: must be above 0");
    spec.bounds.duration = std::min(duration, spec.bounds.duration.value_or(duration));
  }
  if (flags.ops) {
    if (*flags.ops < 0) throw std::invalid_argument("--ops: must not be negative");
    spec.bounds.operations = std::min(*flags.ops, spec.bounds.operations.value_or(*flags.ops));
  }
  if (flags.seed) spec.seed = *flags.seed;
  if (spec.seed == 0) spec.seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  if (flags.verify) spec.verify = true;
  workload::validate(spec);
  return spec;
}

int execute(const WorkloadFlags& flags, workload::RunMode mode) {
  SessionOptions options;
  options.spec = resolve(flags);
  options.mode = mode;
  options.shard = parse_shard(flags.shard);
  options.client = flags.client.options();
  options.pd_given = flags.pd_option != nullptr && flags.pd_option->count() > 0;
  options.mock_stores = flags.mock_stores;
  options.status_interval = flags.interval.empty() ? parse_flag_duration(flags.status_interval, "--status-interval")
                                                   : parse_interval(flags.interval);
  options.go_ycsb_status = flags.status_format == "go-ycsb";
  options.grace = parse_flag_duration(flags.grace, "--grace", /*zero_ok=*/true);
  options.plain_status = flags.plain_status;
  options.thresholds = flags.thresholds;
  options.metrics_addr = flags.metrics_addr;
  options.events_path = flags.events;
  options.window = flags.window.empty() ? options.status_interval : parse_flag_duration(flags.window, "--window");
  if (options.window < options.status_interval || options.window % options.status_interval != std::chrono::nanoseconds::zero()) {
    throw std::invalid_argument(fmt::format("--window {}: not a whole number of status intervals ({}); a window is "
                                            "made of whole intervals",
                                            flags.window, format_duration(options.status_interval)));
  }
  if (!flags.slo.empty()) options.slo = report::parse_slo(flags.slo);
  options.reports = flags.reports;
  options.run_id = flags.run_id;
  options.barrier_timeout = parse_flag_duration(flags.barrier_timeout, "--barrier-timeout");
  if (!options.run_id.empty() && options.run_id.find('/') != std::string::npos) {
    throw std::invalid_argument(fmt::format("--run-id: '{}' must not hold '/'", options.run_id));
  }
  return run_session(std::move(options));
}

void add_workload_options(CLI::App& command, WorkloadFlags& flags) {
  command.add_option("db", flags.db, "go-ycsb's database argument: tikv (optional)");
  command
      .add_option("-P,--property_file,--workload", flags.files,
                  "Workload file: YAML, or go-ycsb properties files (repeatable, merged in order)")
      ->required();
  command.add_option("-p,--prop,--property", flags.overrides, "Override a go-ycsb property: name=value (repeatable)");
  command.add_option("--threads", flags.threads,
                     "Concurrent clients (go-ycsb's threadcount); with a target rate, the cap on operations in flight");
  command.add_option("--target", flags.target, "Target operations per second (go-ycsb's target)");
  command.add_option("--table", flags.table, "The table name in the keys (go-ycsb's table)");
  command.add_option("--interval", flags.interval,
                     "Seconds between status lines, as go-ycsb's --interval (a duration such as 500ms too)");
  command.add_option("--status-format", flags.status_format,
                     "tikv-bench, or go-ycsb: go-ycsb's cumulative lines on stdout every interval")
      ->capture_default_str()
      ->check(CLI::IsMember({"tikv-bench", "go-ycsb"}));
  command.add_option("--run-id", flags.run_id,
                     "A distributed run's id: load marks its shard loaded, run waits for every shard's load and "
                     "keeps its HdrHistogram log and JSON in the cluster (merge --run-id fetches them)");
  command.add_option("--barrier-timeout", flags.barrier_timeout,
                     "With --run-id: how long run waits for the other shards' loads")
      ->capture_default_str();
  command.add_option("--duration", flags.duration,
                     "Run bound: stop after this long (e.g. 30s, 5m); replaces the workload file's bounds");
  command.add_option("--ops", flags.ops, "Run bound: stop after this many operations; replaces the file's bounds");
  command.add_option("--seed", flags.seed, "Seed for every random choice (default: from the workload, else the clock)");
  command.add_option("--shard", flags.shard, "I/N: this instance runs 1/N of the rate and the I-th slice of the keys")
      ->capture_default_str();
  command.add_flag("--verify", flags.verify, "Check every read against the writes acknowledged before it");
  command.add_option("--status-interval", flags.status_interval, "How often to print a status line")
      ->capture_default_str();
  command.add_flag("--plain-status", flags.plain_status, "Plain status lines even on a terminal");
  command.add_option("--grace", flags.grace, "After Ctrl-C or SIGTERM, how long operations in flight may finish")
      ->capture_default_str();
  command.add_option("--threshold", flags.thresholds,
                     "A threshold such as 'read.p99<10ms' or 'error_rate<1% abort after 30s' (repeatable)");
  command.add_option("--metrics-addr", flags.metrics_addr,
                     "Serve Prometheus metrics at HOST:PORT/metrics (a bare port: 127.0.0.1); POST /events takes "
                     "user events");
  command.add_option("--events", flags.events,
                     "A file or FIFO whose lines, written during the run, become events (e.g. 'kill tikv-1')");
  command.add_option("--window", flags.window,
                     "Availability windows' length (default: the status interval); whole status intervals");
  command.add_option("--slo", flags.slo,
                     "The SLO each window must hold, thresholds separated by commas: 'read.p99<10ms,error_rate<1%'");
  command.add_option("--json", flags.reports.json, "Write the run as JSON");
  command.add_option("--csv", flags.reports.csv, "Write one CSV row per interval and operation type");
  command.add_option("--hdr-log", flags.reports.hdr_log, "Write an HdrHistogram interval log (format 1.3)");
  command.add_option("--html", flags.reports.html, "Write a self-contained HTML report");
  command.add_option("--mock-stores", flags.mock_stores, "Stores of the embedded mock cluster (when no --pd)")
      ->capture_default_str()
      ->check(CLI::Range(1, 16));
}

}  // namespace

void add_workload_commands(CLI::App& app, int& exit_code) {
  const auto make = [&](const char* name, const char* help, workload::RunMode mode) {
    auto flags = std::make_shared<WorkloadFlags>();
    auto* command = app.add_subcommand(name, help);
    add_workload_options(*command, *flags);
    flags->client.add_to(*command, /*pd_default=*/false);
    flags->pd_option = command->get_option("--pd");
    command->callback([flags, mode, &exit_code] { exit_code = execute(*flags, mode); });
  };
  make("load", "Insert the workload's records (as go-ycsb load)", workload::RunMode::kLoad);
  make("run", "Run the workload's operation mix (as go-ycsb run); without --pd, loads the embedded mock first",
       workload::RunMode::kRun);

  auto validate_flags = std::make_shared<WorkloadFlags>();
  auto* validate = app.add_subcommand("validate", "Print the resolved workload with every default, or the error");
  validate->add_option("FILE", validate_flags->file, "Workload file (YAML or .properties)")->required();
  validate->add_option("-p,--property", validate_flags->overrides, "Override a go-ycsb property: name=value");
  validate->callback([validate_flags, &exit_code] {
    const auto loaded = workload::read_workload(validate_flags->file, validate_flags->overrides);
    for (const auto& warning : loaded.warnings) fmt::print(stderr, "tikv-bench: warning: {}\n", warning);
    fmt::print("{}", workload::spec_to_yaml(loaded.spec));
    exit_code = kExitOk;
  });

  auto keys_flags = std::make_shared<WorkloadFlags>();
  auto* keys = app.add_subcommand("keys", "Print the first operations (type and key) a run would issue");
  keys->add_option("FILE", keys_flags->file, "Workload file (YAML or .properties)")->required();
  keys->add_option("-p,--property", keys_flags->overrides, "Override a go-ycsb property: name=value");
  keys->add_option("--count", keys_flags->count, "How many operations")->capture_default_str()->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  keys->add_option("--seed", keys_flags->seed, "Seed (default: the workload's, else 1)");
  keys->add_option("--shard", keys_flags->shard, "I/N, as for run")->capture_default_str();
  keys->callback([keys_flags, &exit_code] {
    auto spec = workload::read_workload(keys_flags->file, keys_flags->overrides).spec;
    if (keys_flags->seed) spec.seed = *keys_flags->seed;
    if (spec.seed == 0) spec.seed = 1;
    workload::OperationSource source(spec, parse_shard(keys_flags->shard));
    // One stream, as one worker would draw it; inserts are taken as
    // acknowledged at once.
    workload::Rng rng(spec.seed);
    for (int64_t i = 0; i < keys_flags->count; ++i) {
      const auto op = source.next(rng);
      std::string line(workload::op_name(op.type));
      for (int64_t record : op.keys) line += " " + source.row_key(record);
      if (op.type == workload::OpType::kScan) line += fmt::format(" (scan {})", op.scan_length);
      fmt::print("{}\n", line);
      if (op.type == workload::OpType::kInsert) source.acknowledge_insert(op.keys.front());
    }
    exit_code = kExitOk;
  });
}

}  // namespace tikvbench::cli
