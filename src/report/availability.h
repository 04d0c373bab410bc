// AvailabilityWindows judges a run in windows of `--window` (default 1 s):
// each window is the status intervals of the recorded phases that together
// reach its length (warm-up and drain left out; a short interval at a
// phase boundary joins the window it falls in, so windows say exactly
// where they start and end). A window breaks the SLO (`--slo`, thresholds
// in the grammar of threshold.h, evaluated on the window's figures) when
// one of its thresholds fails, and is unavailable, so broken whatever the
// SLO says, when no operation succeeded in it.
//
// The summary: windows, broken windows, availability (the share that held,
// in %), the worst window (one without a success if any; else the one
// furthest beyond an SLO bound, value / bound; else the one with the
// fewest successes), the broken windows as time ranges (neighbours merged,
// at most kMaxBrokenRanges), and the longest stretch without a success,
// which the runner measures to the millisecond (measure/success_gaps.h).
//
// Thread safety: none; the reporting thread owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/recorder.h"
#include "report/threshold.h"
#include "workload/run_result.h"

namespace tikvbench::report {

inline constexpr size_t kMaxBrokenRanges = 10'000;

// Parses `--slo` ("read.p99<10ms,error_rate<1%"): thresholds separated by
// commas. Throws std::invalid_argument naming --slo and the threshold for a
// bad one, one with `abort`, or one on availability or max_gap (they judge
// a whole run, not a window).
std::vector<Threshold> parse_slo(std::string_view text);

struct WindowSummary {
  double start_s = 0, end_s = 0;  // since the run's start
  uint64_t count = 0, errors = 0;
  std::vector<std::string> broke;  // "read.p99<10ms (value 312ms)", or "no successful operation"
};

struct AvailabilitySummary {
  double window_s = 0;
  std::vector<std::string> slo;  // the thresholds' expressions
  uint64_t windows = 0;
  uint64_t broken = 0;
  double availability_pct = 100;  // (windows - broken) / windows; 100 without windows
  double longest_gap_s = 0;
  double longest_gap_start_s = 0;
  std::optional<WindowSummary> worst;
  std::vector<std::pair<double, double>> broken_ranges;  // [start_s, end_s]
  uint64_t broken_ranges_dropped = 0;                     // past kMaxBrokenRanges
};

class AvailabilityWindows {
 public:
  AvailabilityWindows(std::chrono::nanoseconds window, std::vector<Threshold> slo);

  // After every interval of the run; warm-up and drain intervals are left
  // out.
  void on_interval(const workload::IntervalStatus& status);
  // Closes the last window and sums up, with the run's longest gap.
  AvailabilitySummary finish(const workload::RunResult& result);

 private:
  void close_window();

  const std::chrono::nanoseconds window_;
  const std::vector<Threshold> slo_;
  measure::Figures current_;
  std::chrono::nanoseconds current_start_{0};
  std::chrono::nanoseconds current_length_{0};
  double target_sum_ = 0;  // target * seconds over the window's open-loop intervals
  bool any_target_ = false;
  AvailabilitySummary summary_;
  double worst_badness_ = -1;
};

// The summary as JSON: {window_s, slo, windows, broken, availability_pct,
// longest_gap_s, longest_gap_start_s, worst_window {start_s, end_s, count,
// errors, broke}, broken_ranges [[start_s, end_s]], broken_ranges_dropped}.
nlohmann::json availability_json(const AvailabilitySummary& summary);

// "availability: 57 of 60 windows of 1s held the SLO (95.000%); longest
// stretch without a success 3.120s (from 10.400s); worst window ...".
std::string availability_text(const AvailabilitySummary& summary);

}  // namespace tikvbench::report
