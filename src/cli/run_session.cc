#include "cli/run_session.h"
#include "util/duration.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <fmt/format.h>

#include "cli/exit_codes.h"
#include "cli/output_file.h"
#include "cli/status_printer.h"
#include "cli/stop_signal.h"
#include "mock/mock_cluster.h"
#include "report/html_report.h"
#include "report/metrics_server.h"
#include "report/prometheus_text.h"
#include "report/run_json.h"
#include "report/run_log.h"
#include "report/summary.h"
#include "report/threshold.h"
#include "workload/operation_source.h"
#include "workload/schedule.h"
#include "workload/workload_file.h"

namespace tikvbench::cli {
namespace {

using Clock = std::chrono::steady_clock;


// The open-loop target over the recorded phases, in ops/s: the operations
// the schedule called for there over their time. nullopt for closed loop.
std::optional<double> recorded_target(const workload::Schedule& schedule, std::chrono::nanoseconds elapsed) {
  double scheduled = 0;
  double time = 0;
  bool any_rate = false;
  for (size_t i = 0; i < schedule.phases().size(); ++i) {
    const auto& phase = schedule.phases()[i];
    if (phase.warmup) continue;
    const auto begin = schedule.phase_start(i);
    auto end = phase.duration == std::chrono::nanoseconds::max() ? elapsed : begin + phase.duration;
    end = std::min(end, elapsed);
    if (end <= begin) continue;
    time += to_seconds(end - begin);
    if (phase.kind != workload::LoadKind::kRate) continue;
    any_rate = true;
    scheduled += schedule.scheduled_before(end) - schedule.scheduled_before(begin);
  }
  if (!any_rate || time <= 0) return std::nullopt;
  return scheduled / time;
}

// The report file at `path`, written as the run goes; none for no path.
std::unique_ptr<AppendingFile> appending(const std::string& path, std::string_view flag) {
  return path.empty() ? nullptr : std::make_unique<AppendingFile>(path, flag);
}

// Everything that reports on one runner's run.
class Reporting {
 public:
  Reporting(const SessionOptions& options, std::vector<report::Threshold> thresholds,
            report::MetricsServer* metrics, StopSignal& stop, tikv::ClusterClient& client)
      : options_(options),
        thresholds_(std::move(thresholds)),
        watch_(thresholds_),
        metrics_(metrics),
        stop_(stop),
        client_(client),
        stats_(client.stats()),
        printer_(stderr, options.plain_status),
        hdr_file_(appending(options.reports.hdr_log, "--hdr-log")),
        csv_file_(appending(options.reports.csv, "--csv")),
        log_(std::chrono::system_clock::now(),
             report::RunLogOutputs{hdr_file_ ? &hdr_file_->stream() : nullptr, csv_file_ ? &csv_file_->stream() : nullptr,
                                   // Only the JSON document (which the HTML report renders) reads the records.
                                   !options.reports.json.empty() || !options.reports.html.empty()}) {}

  void on_interval(const workload::IntervalStatus& status) {
    log_.add(status.elapsed, status.length, status.phase, status.warmup, status.inflight, *status.figures);
    cumulative_.merge(*status.figures);
    printer_.print(status, cumulative_.errors_by_kind);
    if (metrics_ != nullptr) {
      report::MetricsSnapshot snapshot;
      snapshot.totals = &cumulative_;
      snapshot.retries_by_kind = stats_.retries_by_reason();
      snapshot.retries_by_kind.merge(client_.stream_faults());
      snapshot.inflight = status.inflight;
      snapshot.target_level = status.level;
      snapshot.target_kind = status.level <= 0                             ? report::TargetKind::kNone
                             : status.kind == workload::LoadKind::kRate ? report::TargetKind::kOpsPerSecond
                                                                        : report::TargetKind::kInflight;
      snapshot.phase = status.phase;
      metrics_->publish(report::prometheus_text(snapshot));
    }
    if (status.warmup || abort_reason_) return;
    report::ThresholdContext context;
    context.duration = status.length;
    if (status.kind == workload::LoadKind::kRate && status.level > 0) context.target_ops_per_sec = status.level;
    if (auto reason = watch_.on_interval(*status.figures, context, Clock::now())) {
      abort_reason_ = *reason;
      fmt::print(stderr, "tikv-bench: aborting: {}\n", *reason);
      stop_.request_stop();
    }
  }

  // Prints the summary and the thresholds, writes the files; the exit code.
  int finish(const workload::RunResult& result, const std::string& title, const workload::Schedule& schedule,
             const report::RunInfo& info) {
    printer_.finish();
    const auto operations = result.totals.total_count() + result.totals.total_errors();
    fmt::print("{}: {} operations in {:.2f}s ({:.1f} ops/s over the whole run)\n", title, operations,
               to_seconds(result.elapsed), result.elapsed.count() > 0 ? static_cast<double>(operations) / to_seconds(result.elapsed) : 0.0);
    fmt::print("{}", report::go_ycsb_lines(result.totals, result.recorded));
    fmt::print("{}", report::summary_table(result.totals, result.recorded));
    int code = kExitOk;
    report::RunFigures figures;
    figures.totals = &result.totals;
    figures.recorded = result.recorded;
    figures.retries_by_kind = stats_.retries_by_reason();
    // What stores did wrong on the streams (replies under unknown ids,
    // undecodable messages, streams ended early), each of which made the
    // requests it touched retry.
    for (const auto& [kind, count] : client_.stream_faults()) {
      figures.retries_by_kind[kind] = count;
      fmt::print("stream fault {}: {}\n", kind, count);
    }
    figures.intervals = &log_.intervals();
    if (result.verify) {
      const auto& v = *result.verify;
      fmt::print("verify: checked {}, lost {}, corrupt {}\n", v.checked, v.lost, v.corrupt);
      for (const auto& example : v.examples) fmt::print("verify: {}\n", example);
      if (v.lost > 0 || v.corrupt > 0) code = kExitThresholdFailed;
      figures.verify = report::VerifySummary{v.checked, v.lost, v.corrupt, v.examples};
    }
    report::ThresholdContext context;
    context.duration = result.recorded;
    context.target_ops_per_sec = recorded_target(schedule, result.elapsed);
    for (const auto& threshold : thresholds_) {
      const auto outcome = report::evaluate(threshold, result.totals, context);
      fmt::print("threshold {}: {} ({})\n", outcome.expr, outcome.ok ? "ok" : "FAILED", outcome.value);
      if (!outcome.ok) code = kExitThresholdFailed;
      figures.thresholds.push_back({outcome.expr, outcome.ok, outcome.value});
    }
    if (abort_reason_) {
      fmt::print("aborted: {}\n", *abort_reason_);
      code = kExitThresholdFailed;
    }
    if (result.abandoned > 0) {
      fmt::print("stopped with {} operations still in flight after the grace time\n", result.abandoned);
    }
    std::fflush(stdout);
    if (const int written = write_reports(info, figures); written != kExitOk) return written;
    if (stop_.exit_code() != 0) return stop_.exit_code();
    return code;
  }

 private:
  int write_reports(const report::RunInfo& info, const report::RunFigures& figures) {
    const auto& paths = options_.reports;
    try {
      if (!paths.json.empty() || !paths.html.empty()) {
        const auto document = report::run_json(info, figures);
        if (!paths.json.empty()) write_file_atomically(paths.json, document.dump(2) + "\n", "--json");
        if (!paths.html.empty()) write_file_atomically(paths.html, report::render_html(document), "--html");
      }
      if (csv_file_) csv_file_->publish();
      if (hdr_file_) hdr_file_->publish();
    } catch (const std::runtime_error& e) {
      fmt::print(stderr, "tikv-bench: {}\n", e.what());
      return kExitRuntime;
    }
    return kExitOk;
  }

  const SessionOptions& options_;
  const std::vector<report::Threshold> thresholds_;
  report::AbortWatch watch_;
  report::MetricsServer* metrics_;
  StopSignal& stop_;
  tikv::ClusterClient& client_;
  tikv::ClientStats& stats_;
  StatusPrinter printer_;
  // Written as the run goes; before log_, which writes to them.
  std::unique_ptr<AppendingFile> hdr_file_;
  std::unique_ptr<AppendingFile> csv_file_;
  report::RunLog log_;
  report::Figures cumulative_;
  std::optional<std::string> abort_reason_;
};

report::RunInfo run_info(const SessionOptions& options, const workload::Schedule& schedule, bool embedded_mock,
                         size_t threads) {
  report::RunInfo info;
  info.workload_name = options.spec.name;
  info.workload_source = options.spec.source;
  info.workload_spec = workload::spec_to_yaml(options.spec);
  info.pd = options.client.pd;
  info.embedded_mock = embedded_mock;
  info.threads = threads;
  info.transport = options.client.transport == tikv::TransportKind::kBatch ? "batch" : "unary";
  info.shard = fmt::format("{}/{}", options.shard.index, options.shard.count);
  info.phases = schedule.phases();
  for (size_t i = 0; i < schedule.phases().size(); ++i) info.phase_starts_s.push_back(to_seconds(schedule.phase_start(i)));
  return info;
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
  std::unique_ptr<report::MetricsServer> metrics;
  if (!options.metrics_addr.empty()) {
    try {
      metrics = std::make_unique<report::MetricsServer>(options.metrics_addr);
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
  const auto finish_run = [&](workload::RunMode mode, const std::string& title) {
    run_options.mode = mode;
    const workload::Schedule schedule(spec, 1.0 / static_cast<double>(options.shard.count));
    Reporting reporting(options, thresholds, metrics.get(), stop, *client);
    run_options.on_interval = [&](const workload::IntervalStatus& status) { reporting.on_interval(status); };
    workload::Runner runner(spec, client->raw(), client->loops(), run_options);
    const auto result = runner.run();
    auto info = run_info(options, schedule, mock != nullptr, client->loops().size());
    info.started_at = std::chrono::system_clock::now() - std::chrono::duration_cast<std::chrono::system_clock::duration>(result.elapsed);
    const int code = reporting.finish(result, title, schedule, info);
    if (result.abandoned > 0) {
      // Operations are still running inside the client: leave without
      // destroying it (its destructor would wait for them).
      std::fflush(stdout);
      std::fflush(stderr);
      std::_Exit(code);
    }
    return code;
  };
  if (options.mode == workload::RunMode::kLoad) return finish_run(workload::RunMode::kLoad, "load: " + spec.name);
  if (mock) {
    // The embedded cluster starts empty: load it first, without reports.
    run_options.mode = workload::RunMode::kLoad;
    report::Figures loaded;
    run_options.on_interval = [&](const workload::IntervalStatus& status) { loaded.merge(*status.figures); };
    workload::Runner loader(spec, client->raw(), client->loops(), run_options);
    const auto result = loader.run();
    fmt::print(stderr, "tikv-bench: loaded {} records ({} errors) in {:.2f}s\n",
               result.totals.ops[static_cast<size_t>(workload::OpType::kInsert)].count, result.totals.total_errors(),
               to_seconds(result.elapsed));
    if (stop.stopped()) return stop.exit_code() != 0 ? stop.exit_code() : kExitThresholdFailed;
  }
  return finish_run(workload::RunMode::kRun, "run: " + spec.name);
}

}  // namespace tikvbench::cli
