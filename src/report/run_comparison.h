// RunComparison: two saved runs (run_json.h documents, A the baseline and B
// the candidate) side by side, what `tikv-bench compare A.json B.json`
// prints. Per operation type present in both runs, six rows: throughput
// (ops/s), the error rate (errors / completed operations, in %; worse
// when higher, so a candidate that fails fast cannot pass as faster) and
// latency p50, p90, p99 and p99.9 from the intended start.
// Each row holds the whole-run figure of A and of B (the JSON's
// ops.OP.ops_per_sec and ops.OP.intended_latency_us), the change from A to
// B in percent, and a Mann-Whitney U test (mann_whitney.h) of the two runs'
// per-interval figures: each recorded interval's ops/s and percentiles are
// one sample. The change is significant when the test's p-value is below
// alpha (0.05 by default), as benchstat decides.
//
// The intervals counted are those of the measured phases: warm-up and drain
// intervals are left out, and so are stubs shorter than half the run's
// median interval (a phase boundary cuts one short; its few operations
// would weigh as much as a whole interval's). A merged interval record
// (a long run, run_log.h) is one sample with its upper-bound percentiles.
//
// Worse is lower throughput or higher latency. A row is a regression
// beyond a bound when it is significant, worse, and changed by more than the
// bound.
//
// Thread safety: pure functions over values.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/mann_whitney.h"
#include "util/status.h"

namespace tikvbench::report {

// One run to compare: its name in the output (the file) and its document.
struct ComparedRun {
  std::string name;
  nlohmann::json document;
};

// What the output says about each run.
struct RunHeadline {
  std::string name, workload, started_at;
  double duration_s = 0;
  size_t intervals = 0;  // the intervals counted as samples
};

struct ComparisonRow {
  std::string op;
  std::string metric;  // "ops/s", "p50", "p90", "p99", "p99.9"
  bool higher_is_better = false;
  bool error_rate = false;  // the row is the error rate (errors / completed, in %)
  double a = 0, b = 0;    // whole-run figures (ops/s, or µs); NaN when missing
  // (b - a) / a * 100; 0 when both are 0; NaN when a figure is missing;
  // for an error rate from 0 to more, +infinity (beyond any bound).
  double change_pct = 0;
  RankTest test;          // over the per-interval samples
  bool significant = false;  // test.p_value < alpha
  bool worse = false;        // significant, and changed for the worse

  // Significant, worse, and by more than `bound_pct` percent.
  bool beyond(double bound_pct) const { return worse && std::fabs(change_pct) > bound_pct; }
};

struct Comparison {
  RunHeadline a, b;
  double alpha = 0.05;
  std::vector<ComparisonRow> rows;   // by operation type (report order), then metric
  std::vector<std::string> only_in_a, only_in_b;  // operation types the other run lacks
};

// Compares `b` against `a`. Fails with kInvalidArgument, the message
// naming the run ("NAME: not a tikv-bench run (no ops, no intervals)",
// "NAME: no measured intervals to compare"), when a document is not a run
// or has no interval to draw samples from. REQUIRES: 0 < alpha < 1.
Result<Comparison> compare_runs(const ComparedRun& a, const ComparedRun& b, double alpha = 0.05);

// A row's A or B figure for people: "1234.5" (ops/s), "0.52%" (error
// rate), "1.2ms" (latency); "-" without one.
std::string compared_figure(const ComparisonRow& row, double value);

// The rows significantly worse by more than `bound_pct`.
std::vector<const ComparisonRow*> regressions(const Comparison& comparison, double bound_pct);

// The comparison for people: a line per run, a table of the rows with
// "~" for a change that is not significant and "(p=P n=A+B)" after each,
// the operation types only one run has, and a last line that names the
// regressions beyond `bound_pct` (or, without one, the rows significantly
// worse).
std::string comparison_text(const Comparison& comparison, std::optional<double> bound_pct);

// The comparison as JSON: {alpha, max_regression_pct, a {name, workload,
// started_at, duration_s, intervals}, b {...}, rows [{op, metric, a, b,
// change_pct, p_value, n_a, n_b, u, exact, significant, worse, beyond}],
// only_in_a, only_in_b, regressions ["OP METRIC", ...]}; NaN is null.
nlohmann::json comparison_json(const Comparison& comparison, std::optional<double> bound_pct);

}  // namespace tikvbench::report
