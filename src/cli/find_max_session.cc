#include "cli/find_max_session.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include <fmt/format.h>

#include "cli/exit_codes.h"
#include "cli/stop_signal.h"
#include "report/find_max_report.h"
#include "report/svg_chart.h"
#include "util/duration.h"
#include "util/output_file.h"
#include "workload/runner.h"

namespace tikvbench::cli {
namespace {

// The workload as one open-loop phase at `rate` for `duration`.
workload::WorkloadSpec step_spec(const workload::WorkloadSpec& base, int64_t rate,
                                 std::chrono::nanoseconds duration) {
  auto spec = base;
  spec.load_kind = workload::LoadKind::kRate;
  spec.load_level = static_cast<double>(rate);
  spec.phases.clear();
  spec.warmup = std::chrono::nanoseconds(0);
  spec.bounds = workload::RunBounds{};
  spec.bounds.duration = duration;
  spec.thresholds.clear();  // find-max judges the step itself
  spec.verify = false;
  return spec;
}

// The figures of one step, judged.
report::FindMaxStep judge(int64_t target, bool bisecting, const workload::RunResult& run,
                          const std::vector<report::Threshold>& slo) {
  const auto p50 = report::parse_threshold("p50 < 1s");
  const auto p99 = report::parse_threshold("p99 < 1s");
  report::FindMaxStep step;
  step.target = target;
  step.bisecting = bisecting;
  step.count = run.totals.total_count();
  step.errors = run.totals.total_errors();
  step.duration_s = to_seconds(run.recorded);
  // Completed operations per second, as every ops/s a run reports.
  step.achieved = step.duration_s > 0 ? static_cast<double>(step.count + step.errors) / step.duration_s : 0;
  const report::ThresholdContext context{run.recorded, static_cast<double>(target)};
  const auto latency = [&](const report::Threshold& which) -> std::optional<double> {
    const auto result = report::evaluate(which, run.totals, context);
    return result.no_data ? std::nullopt : std::optional<double>(result.raw_value);
  };
  step.p50_us = latency(p50);
  step.p99_us = latency(p99);
  const uint64_t all = step.count + step.errors;
  step.error_rate = all > 0 ? static_cast<double>(step.errors) / static_cast<double>(all) : 0;
  std::vector<std::string> reasons;
  for (const auto& threshold : slo) {
    step.slo.push_back(report::evaluate(threshold, run.totals, context));
    if (!step.slo.back().ok) reasons.push_back(fmt::format("{} ({})", threshold.expr, step.slo.back().value));
  }
  // To hold, the step's successes must keep up with the target: failures
  // completed fast do not count.
  const double successes = step.duration_s > 0 ? static_cast<double>(step.count) / step.duration_s : 0;
  const double fraction = successes / static_cast<double>(target);
  if (fraction < kMinAchieved) {
    reasons.push_back(fmt::format("successes at {:.1f}% of the target, below {:.0f}%", 100.0 * fraction,
                                  100.0 * kMinAchieved));
  }
  step.held = reasons.empty();
  for (const auto& reason : reasons) step.broken_by += (step.broken_by.empty() ? "" : "; ") + reason;
  return step;
}

std::string latency_text(const std::optional<double>& us) {
  return us ? report::format_value(*us, report::AxisUnit::kMicros) : std::string("-");
}

void print_step(size_t index, const report::FindMaxStep& step) {
  fmt::print("step {:>2} {:<6} target {:>8} ops/s  achieved {:>10.1f} ops/s  p50 {:>7}  p99 {:>7}  errors {:>6.2f}%  "
             "{}\n",
             index, step.bisecting ? "bisect" : "rise", step.target, step.achieved, latency_text(step.p50_us),
             latency_text(step.p99_us), 100.0 * step.error_rate, step.held ? "held" : "broken: " + step.broken_by);
  std::fflush(stdout);
}

void print_curve(const report::FindMaxResult& result) {
  std::vector<const report::FindMaxStep*> steps;
  for (const auto& step : result.steps) steps.push_back(&step);
  std::stable_sort(steps.begin(), steps.end(), [](const auto* a, const auto* b) { return a->target < b->target; });
  fmt::print("curve, by rate:\n{:>14} {:>16} {:>9} {:>9} {:>8}  verdict\n", "target ops/s", "achieved ops/s", "p50",
             "p99", "errors");
  for (const auto* step : steps) {
    fmt::print("{:>14} {:>16.1f} {:>9} {:>9} {:>7.2f}%  {}\n", step->target, step->achieved,
               latency_text(step->p50_us), latency_text(step->p99_us), 100.0 * step->error_rate,
               step->held ? "held" : "broken");
  }
}

// Writes the reports asked for; false (and one line on stderr) when one
// could not be written.
bool write_reports(const FindMaxOptions& options, const report::FindMaxResult& result) {
  bool ok = true;
  const auto write = [&](const std::string& path, const std::string& text, std::string_view flag) {
    if (path.empty()) return;
    try {
      write_file_atomically(path, text, flag);
    } catch (const std::runtime_error& e) {
      fmt::print(stderr, "tikv-bench: {}\n", e.what());
      ok = false;
    }
  };
  write(options.json_path, report::find_max_json(result).dump(2) + "\n", "--json");
  write(options.html_path, report::find_max_html(result), "--html");
  return ok;
}

}  // namespace

int find_max(FindMaxOptions options) {
  StopSignal stop;  // before any thread starts
  auto connected = tikv::ClusterClient::connect(options.client);
  if (!connected.ok()) {
    fmt::print(stderr, "tikv-bench: {}\n", connected.status().message());
    return connect_exit_code(connected.status());
  }
  auto client = std::move(connected).value();

  report::FindMaxResult result;
  result.workload = options.spec.name;
  result.slo = options.slo;
  result.start = options.search.start;
  result.max = options.search.max;
  result.precision = options.search.precision;
  result.step_duration_s = to_seconds(options.step_duration);
  result.min_achieved = kMinAchieved;

  std::string slo_text;
  for (const auto& slo : options.slo) slo_text += (slo_text.empty() ? "" : ", ") + slo.expr;
  fmt::print("find-max: {} within {}; steps of {} from {} ops/s{}, to within {:.3g}%\n", options.spec.name, slo_text,
             human_duration(options.step_duration), options.search.start,
             options.search.max ? fmt::format(" up to {} ops/s", *options.search.max) : std::string(),
             100.0 * options.search.precision);

  const auto run_step = [&](int64_t rate, std::chrono::nanoseconds duration, uint64_t seed) {
    const auto spec = step_spec(options.spec, rate, duration);
    workload::RunnerOptions run_options;
    run_options.mode = workload::RunMode::kRun;
    run_options.seed = seed;
    run_options.stop = &stop.flag();
    run_options.status_interval = duration;
    run_options.grace = options.grace;
    workload::Runner runner(spec, client->raw(), client->loops(), run_options);
    return runner.run();
  };

  if (options.warmup.count() > 0) {
    run_step(options.search.start, options.warmup, options.spec.seed);
    fmt::print("warm-up: {} at {} ops/s (not judged)\n", human_duration(options.warmup), options.search.start);
  }
  workload::RateSearch search(options.search);
  while (!stop.stopped()) {
    const auto rate = search.next();
    if (!rate) break;
    const bool bisecting = !search.rising();
    const auto run = run_step(*rate, options.step_duration, options.spec.seed + result.steps.size() + 1);
    if (run.stopped && stop.stopped()) break;  // cut short by a signal: not judged
    result.steps.push_back(judge(*rate, bisecting, run, options.slo));
    search.record(*rate, result.steps.back().held);
    print_step(result.steps.size(), result.steps.back());
  }
  result.highest = search.held();
  const int signal = stop.exit_code();
  if (signal != 0) {
    result.ended_by = signal == kExitTerminated ? "SIGTERM" : "SIGINT";
  } else if (!search.held()) {
    result.ended_by = "first-step";
  } else if (!search.broken()) {
    result.ended_by = "max";
  } else {
    result.ended_by = "bisected";
  }

  print_curve(result);
  if (result.highest) {
    fmt::print("highest rate within the SLO: {} ops/s{}\n", *result.highest,
               result.ended_by == "max" ? " (--max, which held)" : signal != 0 ? " (stopped: of the steps done)" : "");
  } else if (signal == 0) {
    fmt::print("highest rate within the SLO: none: the first step, {} ops/s, broke it\n", options.search.start);
  } else {
    fmt::print("highest rate within the SLO: none found before the stop\n");
  }
  std::fflush(stdout);
  const bool written = write_reports(options, result);
  if (signal != 0) return signal;
  if (!written) return kExitRuntime;
  return result.highest ? kExitOk : kExitNoRateHeld;
}

}  // namespace tikvbench::cli
