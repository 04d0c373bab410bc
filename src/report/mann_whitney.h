// The Mann-Whitney U test (Wilcoxon rank-sum), two-sided: do two samples
// come from one distribution, or does one tend to lie above the other? It
// assumes nothing about the distribution's shape, which suits per-interval
// throughput and latency figures (skewed, few, with outliers); benchstat
// uses it to say whether two sets of benchmark runs differ.
//
// The p-value is exact (the distribution of U over every ordering of the
// pooled samples) when there are no ties and neither sample has more than
// kExactLimit values; otherwise it is the normal approximation with the tie
// correction and the continuity correction, as scipy.stats.mannwhitneyu
// (method="asymptotic") and ClickHouse's mannWhitneyUTest compute it.
//
// Thread safety: a pure function.
#pragma once

#include <cstddef>
#include <span>

namespace tikvbench::report {

struct RankTest {
  double u = 0;         // U of the first sample: pairs (x, y) with x > y, ties counting 1/2
  double p_value = 1;   // two-sided; 1 when there is nothing to tell apart
  size_t n_a = 0, n_b = 0;
  bool exact = false;   // the exact distribution, not the normal approximation
};

inline constexpr size_t kExactLimit = 50;

// Returns the test of `a` against `b`. Never fails: an empty sample, or
// samples whose values are all equal, give p = 1 (no evidence of a
// difference). REQUIRES: every value is finite.
RankTest mann_whitney_u(std::span<const double> a, std::span<const double> b);

}  // namespace tikvbench::report
