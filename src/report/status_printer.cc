#include "report/status_printer.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/summary.h"
#include "util/duration.h"

namespace tikvbench::report {
namespace {


std::string rounded(std::chrono::nanoseconds d) {
  return format_duration(std::chrono::round<std::chrono::seconds>(d));
}

}  // namespace

std::string progress_bar(double fraction, int width) {
  fraction = std::clamp(std::isfinite(fraction) ? fraction : 0.0, 0.0, 1.0);
  const int filled = static_cast<int>(std::lround(fraction * width));
  return fmt::format("[{}{}] {:3.0f}%", std::string(static_cast<size_t>(filled), '#'),
                     std::string(static_cast<size_t>(width - filled), '.'), fraction * 100);
}

std::string retries_text(const std::map<std::string, uint64_t>& retries, std::chrono::nanoseconds length) {
  if (retries.empty()) return {};
  const double seconds = std::max(1e-9, to_seconds(length));
  std::string out = " | retries/s";
  for (const auto& [kind, n] : retries) out += fmt::format(" {} {:.1f}", kind, static_cast<double>(n) / seconds);
  return out;
}

std::string progress_text(uint64_t done, uint64_t bound, double rate, std::string_view unit) {
  const double fraction = bound > 0 ? std::min(1.0, static_cast<double>(done) / static_cast<double>(bound)) : 1.0;
  std::string out = fmt::format("{}/{} {} ({:.1f}%)", done, bound, unit, fraction * 100);
  if (done < bound) {
    if (rate > 0) {
      out += fmt::format(", ETA {}", rounded(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                         std::chrono::duration<double>(static_cast<double>(bound - done) / rate))));
    } else {
      out += ", ETA unknown";
    }
  }
  return out;
}

StatusPrinter::StatusPrinter(std::FILE* out, bool plain) : out_(out), redraw_(!plain && isatty(fileno(out)) == 1) {}

namespace {

// The interval's rate of completed operations.
double interval_rate(const workload::IntervalStatus& status) {
  const auto& figures = *status.figures;
  return static_cast<double>(figures.total_count() + figures.total_errors()) /
         std::max(1e-9, to_seconds(status.length));
}

// "ops 500/1000 (50.0%), ETA 3s" or "15000/100000 records ...": progress
// towards a count bound, or "".
std::string bound_progress(const workload::IntervalStatus& status) {
  if (!status.done_bound) return {};
  return progress_text(status.done, *status.done_bound, interval_rate(status), status.load ? "records" : "operations");
}

}  // namespace

std::string StatusPrinter::block(const workload::IntervalStatus& status, const StatusExtras& extras) const {
  const auto& figures = *status.figures;
  const double length = std::max(1e-9, to_seconds(status.length));
  std::string out;
  std::string target;
  if (status.level > 0) {
    target = fmt::format(" target {:.0f} {}", status.level,
                         status.kind == workload::LoadKind::kRate ? "ops/s" : "in flight");
  }
  out += fmt::format("{} {}{}  elapsed {}\n", status.phase, status.warmup ? "(warm-up, counted apart)" : "", target,
                     rounded(status.elapsed));
  if (status.phase_left && status.phase_length.count() > 0) {
    const double done = 1.0 - to_seconds(*status.phase_left) / to_seconds(status.phase_length);
    out += fmt::format("  phase {}  left {}\n", progress_bar(done, 30), rounded(*status.phase_left));
  }
  if (status.run_left && status.run_length.count() > 0) {
    const double done = 1.0 - to_seconds(*status.run_left) / to_seconds(status.run_length);
    out += fmt::format("  run   {}  left {}\n", progress_bar(done, 30), rounded(*status.run_left));
  }
  if (status.done_bound) {
    const double fraction = *status.done_bound > 0 ? static_cast<double>(status.done) / static_cast<double>(*status.done_bound) : 1.0;
    out += fmt::format("  {:5} {}  {}\n", status.load ? "load" : "ops", progress_bar(fraction, 30),
                       bound_progress(status));
  }
  out += fmt::format("  {:>10.0f} ops/s{}  in flight {}{}{}\n", interval_rate(status),
                     status.target_ops_per_sec ? fmt::format(" (target {:.0f})", *status.target_ops_per_sec) : "",
                     status.inflight, figures.late > 0 ? fmt::format("  late {}", figures.late) : "",
                     figures.total_not_found() > 0 ? fmt::format("  not found {}", figures.total_not_found()) : "");
  out += fmt::format("  {:<18} {:>10} {:>9} {:>9} {:>9} {:>9} {:>7}\n", "op", "ops/s", "p50", "p99", "p99.9", "max",
                     "errors");
  for (size_t i = 0; i < figures.ops.size(); ++i) {
    const auto& op = figures.ops[i];
    if (op.empty()) continue;
    const auto cell = [&](double p) {
      return op.ok_intended && op.ok_intended->total_count() > 0
                 ? report::format_micros(p >= 100 ? op.ok_intended->max() : op.ok_intended->value_at_percentile(p))
                 : std::string("-");
    };
    out += fmt::format("  {:<18} {:>10.0f} {:>9} {:>9} {:>9} {:>9} {:>7}\n", workload::kOpTypeNames[i],
                       static_cast<double>(op.count + op.errors) / length, cell(50), cell(99), cell(99.9), cell(100),
                       op.errors);
  }
  if (const auto retries = retries_text(extras.retries, status.length); !retries.empty()) {
    out += "  " + retries.substr(3) + "\n";
  }
  if (!extras.waiting_on.empty()) out += fmt::format("  waiting on: {}\n", extras.waiting_on);
  if (!extras.slowest_store.empty()) out += fmt::format("  {}\n", extras.slowest_store);
  if (!extras.errors_so_far.empty()) {
    out += "  errors so far:";
    for (const auto& [kind, n] : extras.errors_so_far) out += fmt::format(" {} {}", kind, n);
    out += "\n";
  }
  return out;
}

void StatusPrinter::print(const workload::IntervalStatus& status, const StatusExtras& extras) {
  std::string events;
  for (const auto& event : extras.events) events += event + "\n";
  if (!redraw_) {
    fmt::print(out_, "{}", events);
    auto line = interval_line(*status.figures, status.elapsed, status.length,
                                      status.warmup ? status.phase + ", warm-up" : status.phase, status.inflight);
    if (status.target_ops_per_sec) line += fmt::format(" | target {:.0f} ops/s", *status.target_ops_per_sec);
    if (!status.figures->errors_by_kind.empty()) {
      line += " |";
      for (const auto& [kind, n] : status.figures->errors_by_kind) line += fmt::format(" {} {}", kind, n);
    }
    line += retries_text(extras.retries, status.length);
    if (!extras.waiting_on.empty()) line += " | waiting on: " + extras.waiting_on;
    if (!extras.slowest_store.empty()) line += " | " + extras.slowest_store;
    if (status.phase_left) line += fmt::format(" | phase left {}", rounded(*status.phase_left));
    if (status.run_left) line += fmt::format(" | run left {}", rounded(*status.run_left));
    if (const auto progress = bound_progress(status); !progress.empty()) line += " | " + progress;
    fmt::print(out_, "{}\n", line);
    std::fflush(out_);
    return;
  }
  const auto text = block(status, extras);
  // Back to the top of the previous block, clear it, draw the new one.
  if (lines_drawn_ > 0) fmt::print(out_, "\033[{}F\033[J", lines_drawn_);
  fmt::print(out_, "{}{}", events, text);
  std::fflush(out_);
  lines_drawn_ = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

void StatusPrinter::finish() { lines_drawn_ = 0; }

}  // namespace tikvbench::report
