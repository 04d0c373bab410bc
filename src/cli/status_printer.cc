#include "cli/status_printer.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/summary.h"
#include "util/duration.h"

namespace tikvbench::cli {
namespace {


std::string rounded(std::chrono::nanoseconds d) {
  return format_duration(std::chrono::duration_cast<std::chrono::seconds>(d));
}

}  // namespace

std::string progress_bar(double fraction, int width) {
  fraction = std::clamp(std::isfinite(fraction) ? fraction : 0.0, 0.0, 1.0);
  const int filled = static_cast<int>(std::lround(fraction * width));
  return fmt::format("[{}{}] {:3.0f}%", std::string(static_cast<size_t>(filled), '#'),
                     std::string(static_cast<size_t>(width - filled), '.'), fraction * 100);
}

StatusPrinter::StatusPrinter(std::FILE* out, bool plain) : out_(out), redraw_(!plain && isatty(fileno(out)) == 1) {}

std::string StatusPrinter::block(const workload::IntervalStatus& status,
                                 const std::map<std::string, uint64_t>& errors) const {
  const auto& figures = *status.figures;
  const double length = std::max(1e-9, to_seconds(status.length));
  std::string out;
  std::string target;
  if (status.level > 0) {
    target = fmt::format(" target {:.0f} {}", status.level,
                         status.kind == workload::LoadKind::kRate ? "ops/s" : "in flight");
  }
  out += fmt::format("{} {}{}  elapsed {}\n", status.phase, status.warmup ? "(warm-up, not recorded)" : "", target,
                     rounded(status.elapsed));
  if (status.phase_left && status.phase_length.count() > 0) {
    const double done = 1.0 - to_seconds(*status.phase_left) / to_seconds(status.phase_length);
    out += fmt::format("  phase {}  left {}\n", progress_bar(done, 30), rounded(*status.phase_left));
  }
  if (status.run_left && status.run_length.count() > 0) {
    const double done = 1.0 - to_seconds(*status.run_left) / to_seconds(status.run_length);
    out += fmt::format("  run   {}  left {}\n", progress_bar(done, 30), rounded(*status.run_left));
  }
  out += fmt::format("  {:>10.0f} ops/s  in flight {}{}\n",
                     static_cast<double>(figures.total_count() + figures.total_errors()) / length, status.inflight,
                     figures.late > 0 ? fmt::format("  late {}", figures.late) : "");
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
                       static_cast<double>(op.count) / length, cell(50), cell(99), cell(99.9), cell(100), op.errors);
  }
  if (!errors.empty()) {
    out += "  errors so far:";
    for (const auto& [kind, n] : errors) out += fmt::format(" {} {}", kind, n);
    out += "\n";
  }
  return out;
}

void StatusPrinter::print(const workload::IntervalStatus& status, const std::map<std::string, uint64_t>& errors) {
  if (!redraw_) {
    auto line = report::interval_line(*status.figures, status.elapsed, status.length,
                                      status.warmup ? status.phase + ", warm-up" : status.phase, status.inflight);
    if (!status.figures->errors_by_kind.empty()) {
      line += " |";
      for (const auto& [kind, n] : status.figures->errors_by_kind) line += fmt::format(" {} {}", kind, n);
    }
    if (status.phase_left) line += fmt::format(" | phase left {}", rounded(*status.phase_left));
    if (status.run_left) line += fmt::format(" | run left {}", rounded(*status.run_left));
    fmt::print(out_, "{}\n", line);
    std::fflush(out_);
    return;
  }
  const auto text = block(status, errors);
  // Back to the top of the previous block, clear it, draw the new one.
  if (lines_drawn_ > 0) fmt::print(out_, "\033[{}F\033[J", lines_drawn_);
  fmt::print(out_, "{}", text);
  std::fflush(out_);
  lines_drawn_ = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

void StatusPrinter::finish() { lines_drawn_ = 0; }

}  // namespace tikvbench::cli
