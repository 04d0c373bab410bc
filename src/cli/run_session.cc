#include "cli/run_session.h"
#include "util/duration.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/client_figures.h"
#include "cli/event_file_reader.h"
#include "cli/exit_codes.h"
#include "cli/run_store.h"
#include "cli/stop_signal.h"
#include "cli/verify_precheck.h"
#include "mock/mock_cluster.h"
#include "report/metrics_server.h"
#include "report/run_json.h"
#include "report/run_reporting.h"
#include "report/threshold.h"
#include "util/output_file.h"
#include "workload/operation_source.h"
#include "workload/schedule.h"
#include "workload/workload_file.h"

namespace tikvbench::cli {
namespace {

// The clients a run has: go-ycsb's threadcount. Closed loop: the most
// operations any phase keeps in flight; open loop: the in-flight cap; a
// load: its concurrency.
size_t clients_of(const workload::WorkloadSpec& spec, const workload::Schedule& schedule, workload::RunMode mode) {
  if (mode == workload::RunMode::kLoad) {
    if (spec.load_threads > 0) return static_cast<size_t>(spec.load_threads);
    return spec.load_kind == workload::LoadKind::kConcurrency ? static_cast<size_t>(spec.load_level) : 64;
  }
  const double open_loop_cap = schedule.open_loop() ? static_cast<double>(spec.max_inflight) : 0.0;
  return static_cast<size_t>(std::max(schedule.max_concurrency(), open_loop_cap));
}

report::RunInfo run_info(const SessionOptions& options, const workload::Schedule& schedule, bool embedded_mock,
                         size_t loops) {
  report::RunInfo info;
  info.workload_name = options.spec.name;
  info.workload_source = options.spec.source;
  info.workload_spec = workload::spec_to_yaml(options.spec);
  info.pd = options.client.pd;
  info.embedded_mock = embedded_mock;
  info.loops = loops;
  info.threads = clients_of(options.spec, schedule, options.mode);
  info.transport = options.client.transport == tikv::TransportKind::kBatch ? "batch" : "unary";
  info.shard = fmt::format("{}/{}", options.shard.index, options.shard.count);
  info.phases = schedule.phases();
  for (size_t i = 0; i < schedule.phases().size(); ++i) info.phase_starts_s.push_back(to_seconds(schedule.phase_start(i)));
  return info;
}

// The barrier of a distributed run: waits until every shard has marked its
// load done. kExitOk, or kExitRuntime (one line said why) after the
// barrier timeout or when the cluster cannot be read.
int wait_for_shards(RunStore& store, const SessionOptions& options) {
  const size_t shards = options.shard.count;
  const auto status = store.wait_for_loads(
      shards, options.barrier_timeout, std::chrono::milliseconds(200),
      [&](const std::vector<size_t>& loaded, size_t all) {
        fmt::print(stderr, "tikv-bench: run {}: waiting for {} of {} shards to finish their load\n", store.run_id(),
                   all - loaded.size(), all);
      });
  if (status.ok()) return kExitOk;
  if (status.code() == StatusCode::kTimeout) {
    std::string missing;
    if (auto loaded = store.loaded(); loaded.ok()) {
      for (size_t i = 0; i < shards; ++i) {
        if (std::find(loaded->begin(), loaded->end(), i) == loaded->end()) {
          missing += fmt::format("{}{}", missing.empty() ? "" : ", ", i);
        }
      }
    }
    fmt::print(stderr, "tikv-bench: --barrier-timeout: run {}: only {} within {} (still loading: shard {})\n",
               store.run_id(), status.message(), human_duration(options.barrier_timeout), missing);
  } else {
    fmt::print(stderr, "tikv-bench: run {}: cannot read the barrier from the cluster: {}\n", store.run_id(),
               status.message());
  }
  return kExitRuntime;
}

// After a load or run with a run id: a load that ran to its end marks its
// shard loaded; a run keeps its HdrHistogram log and JSON in the cluster.
// Returns `code`, or kExitRuntime when the cluster could not take them and
// `code` was 0.
int share(RunStore& store, workload::RunMode mode, const workload::RunResult& result, const report::RunReporting& reporting,
          int code) {
  const size_t shard = reporting.shard_index();
  Status status;
  if (mode == workload::RunMode::kLoad) {
    if (result.ended_by != workload::EndedBy::kRecords) return code;  // stopped: not loaded
    status = store.mark_loaded(shard);
  } else {
    status = store.put_file(shard, "hlog", reporting.shared_files().hdr_log);
    if (status.ok()) status = store.put_file(shard, "json", reporting.shared_files().json);
  }
  if (status.ok()) return code;
  fmt::print(stderr, "tikv-bench: run {}: cannot store shard {}'s {} in the cluster: {}\n", store.run_id(), shard,
             mode == workload::RunMode::kLoad ? "load mark" : "results", status.message());
  return code == kExitOk ? kExitRuntime : code;
}

}  // namespace

int run_session(SessionOptions options) {
  StopSignal stop;  // before any thread starts
  const auto& spec = options.spec;
  // Everything that can be refused is checked before anything connects.
  std::vector<report::Threshold> thresholds;
  for (const auto& expr : spec.thresholds) thresholds.push_back(report::parse_threshold(expr));
  for (const auto& expr : options.thresholds) thresholds.push_back(report::parse_threshold(expr));
  const bool open_loop = spec.load_kind == workload::LoadKind::kRate ||
                         std::any_of(spec.phases.begin(), spec.phases.end(),
                                     [](const workload::Phase& p) { return p.kind == workload::LoadKind::kRate; });
  for (const auto& threshold : thresholds) {
    if (threshold.needs_target() && (!open_loop || options.mode == workload::RunMode::kLoad)) {
      throw std::invalid_argument(fmt::format(
          "threshold '{}': a rate in % needs an open-loop target (a rate), and this {} has none", threshold.expr,
          options.mode == workload::RunMode::kLoad ? "load" : "run"));
    }
  }
  const auto& paths = options.reports;
  if (!paths.json.empty()) check_writable(paths.json, "--json");
  if (!paths.csv.empty()) check_writable(paths.csv, "--csv");
  if (!paths.hdr_log.empty()) check_writable(paths.hdr_log, "--hdr-log");
  if (!paths.html.empty()) check_writable(paths.html, "--html");
  // The run's timeline: what the client observes, what the user reports.
  EventLog events;
  std::optional<EventFileReader> event_file;
  if (!options.events_path.empty()) event_file.emplace(options.events_path, events);
  options.client.events = &events;
  std::unique_ptr<report::MetricsServer> metrics;
  if (!options.metrics_addr.empty()) {
    try {
      metrics = std::make_unique<report::MetricsServer>(options.metrics_addr, report::MetricsServerTimeouts{},
                                                        &events);
    } catch (const std::runtime_error& e) {
      fmt::print(stderr, "tikv-bench: {}\n", e.what());
      return kExitRuntime;
    }
  }

  if (!options.pd_given && !spec.cluster.pd.empty()) options.client.pd = spec.cluster.pd;
  if (spec.cluster.conns) options.client.transport_options.conns = *spec.cluster.conns;
  if (spec.cluster.max_batch) options.client.transport_options.max_batch = *spec.cluster.max_batch;
  if (spec.cluster.api_version && *spec.cluster.api_version == "v2") options.client.api_version = kvrpcpb::V2;
  std::unique_ptr<mock::MockCluster> mock;
  if (!options.pd_given && spec.cluster.pd.empty()) {
    mock::MockClusterOptions mock_options;
    mock_options.stores = options.mock_stores;
    mock_options.replicas = std::min(3, options.mock_stores);
    mock_options.seed = spec.seed;
    mock_options.api_version = options.client.api_version;
    mock = std::make_unique<mock::MockCluster>(mock_options);
    options.client.pd = {mock->pd_address()};
    fmt::print(stderr, "tikv-bench: no --pd: running against the embedded mock cluster at {} ({} stores)\n",
               mock->pd_address(), options.mock_stores);
  }
  auto connected = tikv::ClusterClient::connect(options.client);
  if (!connected.ok()) {
    fmt::print(stderr, "tikv-bench: {}\n", connected.status().message());
    return connect_exit_code(connected.status());
  }
  auto client = std::move(connected).value();

  workload::RunnerOptions run_options;
  run_options.shard = options.shard;
  run_options.seed = spec.seed;
  run_options.stop = &stop.flag();
  run_options.status_interval = options.status_interval;
  run_options.grace = options.grace;
  std::unique_ptr<workload::VerifyTracker> tracker;
  if (spec.verify && mock) {
    // One process loads and runs: the run knows every version the load wrote.
    const workload::OperationSource source(spec, options.shard);
    tracker = std::make_unique<workload::VerifyTracker>(source.load_begin(), source.load_end());
    run_options.verify = tracker.get();
  }
  uint64_t load_failures = 0;  // the embedded cluster's load, which counts as the run's
  std::optional<RunStore> store;
  if (!options.run_id.empty()) store.emplace(*client, options.run_id);
  const auto finish_run = [&](workload::RunMode mode, const std::string& title) {
    run_options.mode = mode;
    const workload::Schedule schedule(spec, 1.0 / static_cast<double>(options.shard.count));
    report::RunReportingOptions reporting_options;
    reporting_options.reports = options.reports;
    reporting_options.run_id = options.run_id;
    reporting_options.shard_index = options.shard.index;
    reporting_options.plain_status = options.plain_status;
    reporting_options.go_ycsb_status = options.go_ycsb_status;
    reporting_options.bounds = spec.bounds;
    reporting_options.events = &events;
    reporting_options.window = options.window;
    reporting_options.slo = options.slo;
    const ClusterClientFigures client_figures(*client);
    report::RunReporting reporting(std::move(reporting_options), thresholds, metrics.get(), client_figures,
                                   [&stop] { stop.request_stop(); });
    run_options.on_interval = [&](const workload::IntervalStatus& status) { reporting.on_interval(status); };
    workload::Runner runner(spec, client->raw(), client->loops(), run_options);
    events.restart_clock(std::chrono::steady_clock::now());  // event times are since the run's start, as intervals'
    const auto result = runner.run();
    auto info = run_info(options, schedule, mock != nullptr, client->loops().size());
    info.started_at = std::chrono::system_clock::now() - std::chrono::duration_cast<std::chrono::system_clock::duration>(result.elapsed);
    // The run's time is over: the user's last lines go in before the reports.
    event_file.reset();
    const int signal = stop.exit_code();
    const auto verdict = reporting.finish(
        result, title, info, load_failures,
        {signal == kExitTerminated ? "SIGTERM" : signal == kExitInterrupted ? "SIGINT" : "", signal});
    int code = run_exit_code(verdict);
    if (verdict.operations_failed && code == kExitRuntime) {
      fmt::print(stderr, "tikv-bench: {} operations failed after their retries (exit code 4)\n",
                 verdict.failed_operations);
    }
    if (store) code = share(*store, mode, result, reporting, code);
    return code;
  };
  if (options.mode == workload::RunMode::kLoad) return finish_run(workload::RunMode::kLoad, "load: " + spec.name);
  if (mock) {
    // The embedded cluster starts empty: load it first, without reports.
    run_options.mode = workload::RunMode::kLoad;
    run_options.on_interval = nullptr;
    workload::Runner loader(spec, client->raw(), client->loops(), run_options);
    const auto result = loader.run();
    load_failures = result.totals.total_errors();
    fmt::print(stderr, "tikv-bench: loaded {} records ({} errors) in {:.2f}s\n",
               result.totals.ops[static_cast<size_t>(workload::OpType::kInsert)].count, load_failures,
               to_seconds(result.elapsed));
    for (const auto& [kind, message] : result.totals.error_examples) {
      fmt::print(stderr, "tikv-bench: load error {} {}: {}\n", kind, result.totals.errors_by_kind.at(kind), message);
    }
    if (stop.stopped()) return stop.exit_code() != 0 ? stop.exit_code() : kExitThresholdFailed;
  } else {
    if (store) {
      // Every shard loads before any runs: wait for the others.
      if (const int code = wait_for_shards(*store, options); code != kExitOk) return code;
    }
    if (spec.verify) {
      // A run that verifies needs values written by a load that sealed them.
      if (auto refused = check_loaded_for_verify(spec, options.shard, client->raw(), client->loops())) {
        throw std::invalid_argument(*refused);
      }
    }
  }
  return finish_run(workload::RunMode::kRun, "run: " + spec.name);
}

}  // namespace tikvbench::cli
