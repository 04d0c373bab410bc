#include "cli/workload_command.h"

#include <cstdio>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/client_flags.h"
#include "cli/exit_codes.h"
#include "cli/stop_signal.h"
#include "mock/mock_cluster.h"
#include "report/summary.h"
#include "util/duration.h"
#include "workload/operation_source.h"
#include "workload/runner.h"
#include "workload/workload_file.h"

namespace tikvbench::cli {
namespace {

struct WorkloadFlags {
  ClientFlags client;
  std::string file;
  std::vector<std::string> overrides;
  std::string duration;
  std::optional<int64_t> ops;
  std::optional<uint64_t> seed;
  std::string shard = "0/1";
  bool verify = false;
  std::string status_interval = "1s";
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

// The workload with the command-line bounds applied.
workload::WorkloadSpec resolve(const WorkloadFlags& flags) {
  auto loaded = workload::read_workload(flags.file, flags.overrides);
  for (const auto& warning : loaded.warnings) fmt::print(stderr, "tikv-bench: warning: {}\n", warning);
  auto spec = std::move(loaded.spec);
  if (!flags.duration.empty()) {
    try {
      spec.bounds.duration = parse_duration(flags.duration);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("--duration: {}", e.what()));
    }
    if (spec.bounds.duration->count() <= 0) throw std::invalid_argument("--duration: must be above 0");
  }
  if (flags.ops) {
    if (*flags.ops < 0) throw std::invalid_argument("--ops: must not be negative");
    spec.bounds.operations = *flags.ops;
  }
  if (flags.seed) spec.seed = *flags.seed;
  if (spec.seed == 0) spec.seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  if (flags.verify) spec.verify = true;
  workload::validate(spec);
  return spec;
}

void print_interval(const workload::IntervalStatus& status) {
  auto line = report::interval_line(*status.figures, status.elapsed, status.length,
                                    status.warmup ? status.phase + ", warm-up" : status.phase, status.inflight);
  if (status.run_left) line += fmt::format(" | left {}", format_duration(std::chrono::duration_cast<std::chrono::seconds>(*status.run_left)));
  fmt::print(stderr, "{}\n", line);
}

int finish(const workload::RunResult& result, const std::string& title, const StopSignal& stop) {
  const auto operations = result.totals.total_count() + result.totals.total_errors();
  fmt::print("{}: {} operations in {:.2f}s ({:.1f} ops/s over the whole run)\n", title, operations,
             std::chrono::duration<double>(result.elapsed).count(),
             result.elapsed.count() > 0 ? static_cast<double>(operations) / std::chrono::duration<double>(result.elapsed).count() : 0.0);
  fmt::print("{}", report::go_ycsb_lines(result.totals, result.recorded));
  fmt::print("{}", report::summary_table(result.totals, result.recorded));
  int code = kExitOk;
  if (result.verify) {
    const auto& v = *result.verify;
    fmt::print("verify: checked {}, lost {}, corrupt {}\n", v.checked, v.lost, v.corrupt);
    for (const auto& example : v.examples) fmt::print("verify: {}\n", example);
    if (v.lost > 0 || v.corrupt > 0) code = kExitThresholdFailed;
  }
  std::fflush(stdout);
  if (stop.exit_code() != 0) return stop.exit_code();
  return code;
}

// Runs `load` (and, for `run` against the embedded mock cluster, the load
// first, then the run).
int execute(const WorkloadFlags& flags, workload::RunMode mode) {
  StopSignal stop;  // before any thread starts
  const auto spec = resolve(flags);
  const auto shard = parse_shard(flags.shard);
  auto options = flags.client.options();
  const bool pd_given = flags.pd_option != nullptr && flags.pd_option->count() > 0;
  if (!pd_given && !spec.cluster.pd.empty()) {
    options.pd.clear();
    for (const auto& endpoint : spec.cluster.pd) options.pd.push_back(endpoint);
  }
  if (spec.cluster.conns) options.transport_options.conns = *spec.cluster.conns;
  if (spec.cluster.max_batch) options.transport_options.max_batch = *spec.cluster.max_batch;
  if (spec.cluster.api_version && *spec.cluster.api_version == "v2") options.api_version = kvrpcpb::V2;

  std::unique_ptr<mock::MockCluster> mock;
  if (!pd_given && spec.cluster.pd.empty()) {
    mock::MockClusterOptions mock_options;
    mock_options.stores = flags.mock_stores;
    mock_options.replicas = std::min(3, flags.mock_stores);
    mock_options.seed = spec.seed;
    mock_options.api_version = options.api_version;
    mock = std::make_unique<mock::MockCluster>(mock_options);
    options.pd = {mock->pd_address()};
    fmt::print(stderr, "tikv-bench: no --pd: running against the embedded mock cluster at {} ({} stores)\n",
               mock->pd_address(), flags.mock_stores);
  }
  auto connected = tikv::ClusterClient::connect(options);
  if (!connected.ok()) {
    fmt::print(stderr, "tikv-bench: {}\n", connected.status().message());
    return kExitPdUnreachable;
  }
  auto client = std::move(connected).value();

  workload::RunnerOptions run_options;
  run_options.shard = shard;
  run_options.seed = spec.seed;
  run_options.stop = &stop.flag();
  run_options.on_interval = print_interval;
  try {
    run_options.status_interval = parse_duration(flags.status_interval);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("--status-interval: {}", e.what()));
  }
  if (run_options.status_interval.count() <= 0) throw std::invalid_argument("--status-interval: must be above 0");

  std::unique_ptr<workload::VerifyTracker> tracker;
  if (spec.verify && mock) {
    // One process loads and runs: the run knows every version the load wrote.
    const workload::OperationSource source(spec, shard);
    tracker = std::make_unique<workload::VerifyTracker>(source.load_begin(), source.load_end());
    run_options.verify = tracker.get();
  }
  if (mode == workload::RunMode::kLoad || mock) {
    run_options.mode = workload::RunMode::kLoad;
    workload::Runner loader(spec, client->raw(), client->loops(), run_options);
    const auto loaded = loader.run();
    const int code = finish(loaded, fmt::format("load: {} records of {}", loaded.totals.ops[2].count, spec.name), stop);
    if (mode == workload::RunMode::kLoad || code != kExitOk) return code;
  }
  run_options.mode = workload::RunMode::kRun;
  workload::Runner runner(spec, client->raw(), client->loops(), run_options);
  const auto result = runner.run();
  return finish(result, fmt::format("run: {}", spec.name), stop);
}

void add_workload_options(CLI::App& command, WorkloadFlags& flags) {
  command.add_option("-P,--workload", flags.file, "Workload file: YAML, or a go-ycsb .properties file")->required();
  command.add_option("-p,--property", flags.overrides, "Override a go-ycsb property: name=value (repeatable)");
  command.add_option("--duration", flags.duration, "Run bound: stop after this long (e.g. 30s, 5m)");
  command.add_option("--ops", flags.ops, "Run bound: stop after this many operations");
  command.add_option("--seed", flags.seed, "Seed for every random choice (default: from the workload, else the clock)");
  command.add_option("--shard", flags.shard, "I/N: this instance runs 1/N of the rate and the I-th slice of the keys")
      ->capture_default_str();
  command.add_flag("--verify", flags.verify, "Check every read against the writes acknowledged before it");
  command.add_option("--status-interval", flags.status_interval, "How often to print a status line")
      ->capture_default_str();
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
    flags->client.add_to(*command);
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
