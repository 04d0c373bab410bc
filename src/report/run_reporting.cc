#include "report/run_reporting.h"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "report/html_report.h"
#include "report/prometheus_text.h"
#include "report/slowest_store.h"
#include "report/summary.h"
#include "util/duration.h"
#include "util/file_text.h"

namespace tikvbench::report {
namespace {

using Clock = std::chrono::steady_clock;

// The report file at `path`, written as the run goes; none for no path.
std::unique_ptr<AppendingFile> appending(const std::string& path, std::string_view flag) {
  return path.empty() ? nullptr : std::make_unique<AppendingFile>(path, flag);
}

// "12.5 s" for people: durations rounded to what a reader needs.
std::string seconds_text(std::chrono::nanoseconds d) { return fmt::format("{:.2f}s", to_seconds(d)); }

double rate_of(uint64_t n, std::chrono::nanoseconds d) {
  return d.count() > 0 ? static_cast<double>(n) / to_seconds(d) : 0.0;
}

// Operation types whose successes may find nothing, and what they look up.
bool looks_up(workload::OpType op) {
  return op == workload::OpType::kRead || op == workload::OpType::kScan ||
         op == workload::OpType::kReadModifyWrite;
}

}  // namespace

std::optional<OpenLoopTotals> open_loop_totals(const workload::RunResult& result) {
  OpenLoopTotals totals;
  double scheduled = 0;
  std::chrono::nanoseconds ran{0};
  bool any = false;
  for (const auto& phase : result.phases) {
    if (phase.warmup || !phase.ran || phase.kind != workload::LoadKind::kRate || !phase.target_ops_per_sec) continue;
    any = true;
    auto& op = totals.figures.ops[0];
    op.count += phase.count;
    op.errors += phase.errors;
    totals.took += phase.took;
    scheduled += *phase.target_ops_per_sec * to_seconds(phase.ran_for);
    ran += phase.ran_for;
  }
  if (!any || ran.count() <= 0) return std::nullopt;
  totals.target_ops_per_sec = scheduled / to_seconds(ran);
  return totals;
}

RunReporting::RunReporting(RunReportingOptions options, std::vector<Threshold> thresholds, MetricsServer* metrics,
                           const ClientFigures& client, std::function<void()> request_stop)
    : options_(std::move(options)),
      thresholds_(std::move(thresholds)),
      watch_(thresholds_),
      metrics_(metrics),
      client_(client),
      request_stop_(std::move(request_stop)),
      printer_(stderr, options_.plain_status),
      hdr_file_(appending(options_.reports.hdr_log, "--hdr-log")),
      csv_file_(appending(options_.reports.csv, "--csv")),
      log_(std::chrono::system_clock::now(),
           RunLogOutputs{hdr_file_                       ? &hdr_file_->stream()
                                 : !options_.run_id.empty()      ? &hdr_memory_
                                                                 : nullptr,
                                 csv_file_ ? &csv_file_->stream() : nullptr,
                                 // Only the JSON document (which the HTML report renders) reads the records.
                                 !options_.reports.json.empty() || !options_.reports.html.empty() ||
                                     !options_.run_id.empty()}),
      retries_seen_(retries_so_far()),
      availability_(options_.window, options_.slo) {}

std::map<std::string, uint64_t> RunReporting::retries_so_far() const { return client_.retries_by_kind(); }

std::string RunReporting::waiting_on(uint64_t inflight) const {
  std::string out;
  int64_t backing_off = 0;
  for (const auto& [n, text] : client_.backing_off()) {
    if (n <= 0) continue;
    backing_off += n;
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", n, text);
  }
  const auto rest = static_cast<int64_t>(inflight) - backing_off;
  if (rest > 0) {
    out += fmt::format("{}{} waiting for a reply from a store", out.empty() ? "" : ", ", rest);
  }
  return out;
}

void RunReporting::on_interval(const workload::IntervalStatus& status) {
  const auto retries = retries_so_far();
  std::map<std::string, uint64_t> interval_retries;
  for (const auto& [kind, n] : retries) {
    const auto seen = retries_seen_[kind];
    if (n > seen) interval_retries[kind] = n - seen;
  }
  retries_seen_ = retries;
  const auto& figures = *status.figures;
  log_.add(IntervalInfo{status.elapsed, status.length, status.phase, status.warmup, status.drain,
                                status.inflight, status.target_ops_per_sec, interval_retries},
           figures);
  (status.warmup ? cumulative_warmup_ : cumulative_).merge(figures);
  availability_.on_interval(status);
  if (status.warmup) warmup_elapsed_ = status.elapsed;

  StatusExtras extras;
  extras.retries = std::move(interval_retries);
  if (figures.total_count() + figures.total_errors() == 0 && status.inflight > 0) {
    extras.waiting_on = waiting_on(status.inflight);
  }
  const auto addresses = client_.store_addresses();
  if (const auto slowest = slowest_store(figures)) extras.slowest_store = slowest_store_text(*slowest, addresses);
  if (options_.events != nullptr) {
    for (const auto& event : options_.events->take_new()) extras.events.push_back(event_line(event));
  }
  extras.errors_so_far = cumulative_.errors_by_kind;
  for (const auto& [kind, n] : cumulative_warmup_.errors_by_kind) extras.errors_so_far[kind] += n;
  printer_.print(status, extras);
  if (options_.go_ycsb_status && !status.warmup) {
    // go-ycsb's interval output: its cumulative lines, sorted by name, on
    // stdout (go-ycsb measures nothing during its warm-up either).
    auto lines = go_ycsb_lines(cumulative_, status.elapsed - warmup_elapsed_);
    std::vector<std::string> sorted;
    for (size_t at = 0; at < lines.size();) {
      const auto end = lines.find('\n', at);
      sorted.push_back(lines.substr(at, end - at + 1));
      at = end + 1;
    }
    std::sort(sorted.begin(), sorted.end());
    for (const auto& line : sorted) fmt::print("{}", line);
    std::fflush(stdout);
  }

  if (metrics_ != nullptr) {
    MetricsSnapshot snapshot;
    snapshot.totals = &cumulative_;
    snapshot.warmup_totals = &cumulative_warmup_;
    snapshot.retries_by_kind = retries;
    snapshot.inflight = status.inflight;
    snapshot.target_level = status.level;
    snapshot.target_kind = status.level <= 0                             ? TargetKind::kNone
                           : status.kind == workload::LoadKind::kRate ? TargetKind::kOpsPerSecond
                                                                      : TargetKind::kInflight;
    snapshot.phase = status.phase;
    snapshot.warmup = status.warmup;
    snapshot.store_addresses = addresses;
    snapshot.retries_by_store = client_.retries_by_store();
    if (options_.events != nullptr) snapshot.events_by_kind = options_.events->counts_by_kind();
    metrics_->publish(prometheus_text(snapshot));
  }
  if (status.warmup || abort_reason_) return;
  ThresholdContext context;
  context.duration = status.length;
  context.target_ops_per_sec = status.target_ops_per_sec;
  if (auto reason = watch_.on_interval(figures, context, Clock::now())) {
    abort_reason_ = *reason;
    fmt::print(stderr, "tikv-bench: aborting: {}\n", *reason);
    request_stop_();
  }
}

std::string RunReporting::ended_by_text(const workload::RunResult& result, const StoppedBy& stopped_by) const {
  if (abort_reason_) return "threshold (" + *abort_reason_ + ")";
  const auto& bounds = options_.bounds;
  switch (result.ended_by) {
    case workload::EndedBy::kStop:
      return stopped_by.signal.empty() ? "stop" : "signal (" + stopped_by.signal + ")";
    case workload::EndedBy::kRecords:
      return "records (every record of the load was inserted or failed)";
    case workload::EndedBy::kOperations:
      return fmt::format("operations (the bound of {} operations)", bounds.operations.value_or(0));
    case workload::EndedBy::kDuration:
      return fmt::format("duration (the bound of {})", format_duration(bounds.duration.value_or(std::chrono::nanoseconds{0})));
    case workload::EndedBy::kPhases:
      return "phases (the last phase ended)";
  }
  return "phases";
}

RunVerdict RunReporting::finish(const workload::RunResult& result, const std::string& title, const RunInfo& info,
                                uint64_t earlier_failures, const StoppedBy& stopped_by) {
  printer_.finish();
  if (info.embedded_mock) {
    fmt::print("cluster: the embedded mock cluster at {} (no --pd or tikv.pd given)\n",
               info.pd.empty() ? std::string("?") : info.pd.front());
  }
  const auto& totals = result.totals;
  const uint64_t completed = totals.total_count() + totals.total_errors();
  const uint64_t cancelled = totals.total_cancelled() + result.warmup.total_cancelled();
  fmt::print("{}: {} operations in {} ({:.1f} ops/s): {} ok, {} failed{}\n", title, completed,
             seconds_text(result.recorded), rate_of(completed, result.recorded), totals.total_count(),
             totals.total_errors(), cancelled > 0 ? fmt::format(", and {} cancelled in flight", cancelled) : "");
  const auto& warmup = result.warmup;
  const uint64_t warmup_completed = warmup.total_count() + warmup.total_errors();
  if (result.warmup_time.count() > 0) {
    fmt::print("warm-up, counted apart: {} operations in {} ({:.1f} ops/s): {} ok, {} failed\n", warmup_completed,
               seconds_text(result.warmup_time), rate_of(warmup_completed, result.warmup_time), warmup.total_count(),
               warmup.total_errors());
  }
  const bool open_loop = std::any_of(result.phases.begin(), result.phases.end(), [](const workload::PhaseResult& p) {
    return p.kind == workload::LoadKind::kRate;
  });
  if (result.phases.size() > 1 || open_loop) {
    for (const auto& phase : result.phases) {
      if (!phase.ran) {
        fmt::print("phase {}: not reached\n", phase.name);
        continue;
      }
      const auto done = phase.count + phase.errors;
      const double achieved = rate_of(done, phase.took);
      std::string target;
      if (phase.target_ops_per_sec && *phase.target_ops_per_sec > 0) {
        target = fmt::format(", target {:.1f} ops/s ({:.1f}% of it achieved)", *phase.target_ops_per_sec,
                             100.0 * achieved / *phase.target_ops_per_sec);
      }
      fmt::print("phase {}{}: {} operations in {} ({:.1f} ops/s{}), {} failed{}\n", phase.name,
                 phase.warmup ? " (warm-up)" : "", done, seconds_text(phase.took), achieved, target, phase.errors,
                 phase.late > 0 ? fmt::format(", {} started late", phase.late) : "");
    }
  }
  fmt::print("{}", go_ycsb_lines(totals, result.recorded));
  fmt::print("{}", summary_table(totals, result.recorded));
  RunFigures figures;
  figures.totals = &totals;
  figures.recorded = result.recorded;
  figures.warmup = &result.warmup;
  figures.warmup_time = result.warmup_time;
  for (const auto& phase : result.phases) {
    figures.phases.push_back({phase.count, phase.errors, phase.late, phase.took, phase.target_ops_per_sec, phase.ran});
  }
  figures.retries_by_kind = retries_so_far();
  if (!figures.retries_by_kind.empty()) {
    std::string line = "retries:";
    for (const auto& [kind, n] : figures.retries_by_kind) line += fmt::format(" {} {}", kind, n);
    fmt::print("{}\n", line);
  }
  figures.intervals = &log_.intervals();
  figures.store_addresses = client_.store_addresses();
  figures.retries_by_store = client_.retries_by_store();
  fmt::print("{}", store_table(totals, result.recorded, figures.store_addresses, figures.retries_by_store));
  if (options_.events != nullptr) {
    figures.events = options_.events->events();
    figures.events_dropped = options_.events->dropped();
    if (!figures.events.empty()) {
      fmt::print("events: {}{}\n", figures.events.size(),
                 figures.events_dropped > 0 ? fmt::format(" ({} more dropped past the bound)", figures.events_dropped)
                                            : "");
    }
  }
  // Reads that found nothing: a run over data that was never loaded.
  uint64_t lookups = 0, missing = 0;
  for (size_t i = 0; i < totals.ops.size(); ++i) {
    if (!looks_up(static_cast<workload::OpType>(i))) continue;
    lookups += totals.ops[i].count;
    missing += totals.ops[i].not_found;
  }
  if (lookups > 0 && missing * 2 > lookups) {
    fmt::print("warning: {} of {} reads ({:.1f}%) found nothing: the data was probably not loaded "
               "(run `tikv-bench load` with this workload first)\n",
               missing, lookups, 100.0 * static_cast<double>(missing) / static_cast<double>(lookups));
  }
  const auto availability = availability_.finish(result);
  fmt::print("{}", availability_text(availability));
  figures.availability = availability;
  RunVerdict verdict;
  verdict.signal_exit_code = stopped_by.exit_code;
  if (result.verify) {
    const auto& v = *result.verify;
    fmt::print("verify: checked {}, lost {}, corrupt {}\n", v.checked, v.lost, v.corrupt);
    for (const auto& example : v.examples) fmt::print("verify: {}\n", example);
    verdict.verify_failed = v.lost > 0 || v.corrupt > 0;
    figures.verify = VerifySummary{v.checked, v.lost, v.corrupt, v.examples};
  }
  ThresholdContext context;
  context.duration = result.recorded;
  if (availability.windows > 0) context.availability = availability.availability_pct / 100;
  context.max_gap = result.longest_gap;
  const auto open = open_loop_totals(result);
  ThresholdContext open_context;
  if (open) {
    open_context.duration = open->took;
    open_context.target_ops_per_sec = open->target_ops_per_sec;
  }
  for (const auto& threshold : thresholds_) {
    // A rate as a share of the target compares the open-loop phases' achieved
    // rate with their target; every other threshold reads the totals.
    const measure::Figures none;
    const auto outcome = threshold.needs_target()
                             ? evaluate(threshold, open ? open->figures : none, open_context)
                             : evaluate(threshold, totals, context);
    fmt::print("threshold {}: {} ({})\n", outcome.expr, outcome.ok ? "ok" : "FAILED", outcome.value);
    if (!outcome.ok) verdict.threshold_failed = true;
    if (threshold.metric == ThresholdMetric::kErrorRate || threshold.metric == ThresholdMetric::kErrors) {
      verdict.error_thresholds_given = true;
    }
    figures.thresholds.push_back({outcome.expr, outcome.ok, outcome.value});
  }
  if (abort_reason_) {
    fmt::print("aborted: {}\n", *abort_reason_);
    verdict.threshold_failed = true;
  }
  figures.ended_by = abort_reason_ ? "threshold" : std::string(workload::ended_by_name(result.ended_by));
  fmt::print("ended by: {}\n", ended_by_text(result, stopped_by));
  if (result.cancelled_in_flight > 0) {
    fmt::print("cancelled: {} operations still in flight when the grace time ran out (counted apart, not as "
               "errors)\n",
               result.cancelled_in_flight);
  }
  const uint64_t failed = totals.total_errors() + warmup.total_errors() + earlier_failures;
  verdict.operations_failed = failed > 0;
  verdict.failed_operations = failed;
  std::fflush(stdout);
  verdict.reports_failed = !write_reports(info, figures);
  return verdict;
}

bool RunReporting::write_reports(const RunInfo& info, const RunFigures& figures) {
  const auto& paths = options_.reports;
  try {
    if (!paths.json.empty() || !paths.html.empty() || !options_.run_id.empty()) {
      const auto document = run_json(info, figures);
      // User events may hold any bytes: invalid UTF-8 becomes U+FFFD rather
      // than losing the report.
      const auto text = document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
      if (!options_.run_id.empty()) shared_.json = text;
      if (!paths.json.empty()) write_file_atomically(paths.json, text, "--json");
      if (!paths.html.empty()) write_file_atomically(paths.html, render_html(document), "--html");
    }
    if (csv_file_) csv_file_->publish();
    if (hdr_file_) hdr_file_->publish();
    if (!options_.run_id.empty()) shared_.hdr_log = hdr_file_ ? read_file_text(paths.hdr_log) : hdr_memory_.str();
  } catch (const std::runtime_error& e) {
    fmt::print(stderr, "tikv-bench: {}\n", e.what());
    return false;
  }
  return true;
}

}  // namespace tikvbench::report
