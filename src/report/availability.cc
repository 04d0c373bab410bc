#include "report/availability.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "util/duration.h"

namespace tikvbench::report {
namespace {

// How far `result` is beyond (or within) its bound: value / bound for an
// upper bound, bound / value for a lower one; 0 without data or for ==.
double beyond(const Threshold& threshold, const ThresholdResult& result) {
  if (result.no_data) return 0;
  const double value = result.raw_value, limit = threshold.limit;
  switch (threshold.comparator) {
    case Comparator::kLess:
    case Comparator::kLessEqual:
      return limit > 0 ? value / limit : (value > 0 ? std::numeric_limits<double>::max() : 0);
    case Comparator::kGreater:
    case Comparator::kGreaterEqual:
      return value > 0 ? limit / value : std::numeric_limits<double>::max();
    case Comparator::kEqual: return 0;
  }
  return 0;
}

}  // namespace

std::vector<Threshold> parse_slo(std::string_view text) {
  std::vector<Threshold> slo;
  for (size_t at = 0; at <= text.size();) {
    size_t comma = text.find(',', at);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view part = text.substr(at, comma - at);
    at = comma + 1;
    if (part.find_first_not_of(" \t") == std::string_view::npos) continue;
    Threshold threshold;
    try {
      threshold = parse_threshold(part);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("--slo: {}", e.what()));
    }
    if (threshold.abort) {
      throw std::invalid_argument(fmt::format("--slo: '{}': an SLO judges each window; 'abort' is for --threshold",
                                              threshold.expr));
    }
    if (threshold.metric == ThresholdMetric::kAvailability || threshold.metric == ThresholdMetric::kMaxGap) {
      throw std::invalid_argument(fmt::format(
          "--slo: '{}': availability and max_gap judge a whole run; give them to --threshold", threshold.expr));
    }
    slo.push_back(std::move(threshold));
  }
  if (slo.empty()) throw std::invalid_argument("--slo: no threshold given (e.g. --slo 'read.p99<10ms,error_rate<1%')");
  return slo;
}

AvailabilityWindows::AvailabilityWindows(std::chrono::nanoseconds window, std::vector<Threshold> slo)
    : window_(window), slo_(std::move(slo)) {
  summary_.window_s = to_seconds(window_);
  for (const auto& threshold : slo_) summary_.slo.push_back(threshold.expr);
}

void AvailabilityWindows::on_interval(const workload::IntervalStatus& status) {
  if (status.warmup || status.drain || status.figures == nullptr) return;
  if (current_length_.count() == 0) current_start_ = status.elapsed - status.length;
  current_.merge(*status.figures);
  current_length_ += status.length;
  if (status.target_ops_per_sec) {
    target_sum_ += *status.target_ops_per_sec * to_seconds(status.length);
    any_target_ = true;
  }
  // Within a millisecond of the window counts as reaching it (intervals end
  // when the runner's thread wakes).
  if (current_length_ + std::chrono::milliseconds(1) >= window_) close_window();
}

void AvailabilityWindows::close_window() {
  if (current_length_.count() <= 0) return;
  WindowSummary window;
  window.start_s = to_seconds(current_start_);
  window.end_s = to_seconds(current_start_ + current_length_);
  window.count = current_.total_count();
  window.errors = current_.total_errors();
  double badness = 0;
  if (window.count == 0) {
    window.broke.push_back("no successful operation");
    badness = std::numeric_limits<double>::infinity();
  }
  ThresholdContext context;
  context.duration = current_length_;
  if (any_target_) context.target_ops_per_sec = target_sum_ / to_seconds(current_length_);
  for (const auto& threshold : slo_) {
    const auto result = evaluate(threshold, current_, context);
    if (!result.ok) window.broke.push_back(fmt::format("{} (value {})", threshold.expr, result.value));
    badness = std::max(badness, beyond(threshold, result));
  }
  if (slo_.empty() && window.count > 0) {
    // Without an SLO the worst window is the one with the fewest successes.
    badness = 1.0 / static_cast<double>(window.count);
  }
  ++summary_.windows;
  if (!window.broke.empty()) {
    ++summary_.broken;
    auto& ranges = summary_.broken_ranges;
    if (!ranges.empty() && ranges.back().second >= window.start_s - 1e-6) {
      ranges.back().second = window.end_s;
    } else if (ranges.size() < kMaxBrokenRanges) {
      ranges.emplace_back(window.start_s, window.end_s);
    } else {
      ++summary_.broken_ranges_dropped;
    }
  }
  if (badness > worst_badness_) {
    worst_badness_ = badness;
    summary_.worst = std::move(window);
  }
  current_.clear();
  current_length_ = {};
  target_sum_ = 0;
  any_target_ = false;
}

AvailabilitySummary AvailabilityWindows::finish(const workload::RunResult& result) {
  close_window();
  summary_.availability_pct =
      summary_.windows > 0
          ? 100.0 * static_cast<double>(summary_.windows - summary_.broken) / static_cast<double>(summary_.windows)
          : 100.0;
  summary_.longest_gap_s = to_seconds(result.longest_gap);
  summary_.longest_gap_start_s = to_seconds(result.longest_gap_start);
  return summary_;
}

nlohmann::json availability_json(const AvailabilitySummary& summary) {
  using nlohmann::json;
  json out = {{"window_s", summary.window_s},
              {"slo", summary.slo},
              {"windows", summary.windows},
              {"broken", summary.broken},
              {"availability_pct", summary.windows > 0 ? json(summary.availability_pct) : json(nullptr)},
              {"longest_gap_s", summary.longest_gap_s},
              {"longest_gap_start_s", summary.longest_gap_start_s}};
  if (summary.worst) {
    out["worst_window"] = {{"start_s", summary.worst->start_s},
                           {"end_s", summary.worst->end_s},
                           {"count", summary.worst->count},
                           {"errors", summary.worst->errors},
                           {"broke", summary.worst->broke}};
  } else {
    out["worst_window"] = nullptr;
  }
  json ranges = json::array();
  for (const auto& [start, end] : summary.broken_ranges) ranges.push_back({start, end});
  out["broken_ranges"] = ranges;
  out["broken_ranges_dropped"] = summary.broken_ranges_dropped;
  return out;
}

std::string availability_text(const AvailabilitySummary& summary) {
  std::string out = fmt::format(
      "availability: {} of {} windows of {} held{} ({:.3f}%); longest stretch without a success {:.3f}s (from "
      "{:.3f}s)\n",
      summary.windows - summary.broken, summary.windows, format_duration(std::chrono::nanoseconds(
                                                              static_cast<int64_t>(summary.window_s * 1e9))),
      summary.slo.empty() ? " a success" : fmt::format(" the SLO {}", fmt::join(summary.slo, ",")),
      summary.availability_pct, summary.longest_gap_s, summary.longest_gap_start_s);
  if (summary.worst && !summary.worst->broke.empty()) {
    out += fmt::format("worst window {:.3f}s-{:.3f}s: {} ok, {} failed; {}\n", summary.worst->start_s,
                       summary.worst->end_s, summary.worst->count, summary.worst->errors,
                       fmt::join(summary.worst->broke, "; "));
  }
  return out;
}

}  // namespace tikvbench::report
