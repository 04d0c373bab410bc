#include "report/mann_whitney.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <vector>

namespace tikvbench::report {
namespace {

// The pooled values' mid-ranks (ties share the mean of their ranks), the
// first `n_a` being `a`'s; and the tie term sum(t^3 - t) over tie groups.
struct PooledRanks {
  double rank_sum_a = 0;
  double tie_term = 0;
};

PooledRanks pooled_ranks(std::span<const double> a, std::span<const double> b) {
  std::vector<std::pair<double, bool>> pooled;  // value, from a
  pooled.reserve(a.size() + b.size());
  for (double x : a) pooled.emplace_back(x, true);
  for (double y : b) pooled.emplace_back(y, false);
  std::sort(pooled.begin(), pooled.end(), [](const auto& l, const auto& r) { return l.first < r.first; });
  PooledRanks out;
  for (size_t i = 0; i < pooled.size();) {
    size_t j = i;
    while (j + 1 < pooled.size() && pooled[j + 1].first == pooled[i].first) ++j;
    const double ties = static_cast<double>(j - i + 1);
    const double mid_rank = static_cast<double>(i + j) / 2 + 1;
    for (size_t k = i; k <= j; ++k)
      if (pooled[k].second) out.rank_sum_a += mid_rank;
    out.tie_term += ties * ties * ties - ties;
    i = j + 1;
  }
  return out;
}

// P(U <= k) for samples of m and n values without ties, from the counts of
// orderings by their U: N(i, j) = q^j N(i-1, j) + N(i, j-1) (the largest
// value is the first sample's, beating all j of the second, or not), a
// polynomial in q per (i, j), kept one row of i at a time.
double exact_cdf(size_t m, size_t n, size_t k) {
  std::vector<std::vector<double>> row(n + 1, std::vector<double>(1, 1.0));  // N(0, j) = 1
  for (size_t i = 1; i <= m; ++i) {
    std::vector<std::vector<double>> next(n + 1);
    next[0] = {1.0};  // N(i, 0) = 1
    for (size_t j = 1; j <= n; ++j) {
      std::vector<double> poly(i * j + 1, 0.0);
      const auto& shifted = row[j];  // N(i-1, j), times q^j
      for (size_t d = 0; d < shifted.size(); ++d) poly[d + j] += shifted[d];
      const auto& left = next[j - 1];  // N(i, j-1)
      for (size_t d = 0; d < left.size(); ++d) poly[d] += left[d];
      next[j] = std::move(poly);
    }
    row = std::move(next);
  }
  const auto& counts = row[n];
  const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  double below = 0;
  for (size_t d = 0; d <= k && d < counts.size(); ++d) below += counts[d];
  return below / total;
}

}  // namespace

RankTest mann_whitney_u(std::span<const double> a, std::span<const double> b) {
  RankTest out;
  out.n_a = a.size();
  out.n_b = b.size();
  if (a.empty() || b.empty()) return out;
  const auto ranks = pooled_ranks(a, b);
  const double m = static_cast<double>(a.size());
  const double n = static_cast<double>(b.size());
  out.u = ranks.rank_sum_a - m * (m + 1) / 2;
  const double mn = m * n;
  if (ranks.tie_term == 0 && a.size() <= kExactLimit && b.size() <= kExactLimit) {
    // Without ties U is a whole number; the tail beyond the smaller of U
    // and mn - U, doubled.
    const double smaller = std::min(out.u, mn - out.u);
    out.exact = true;
    out.p_value = std::min(1.0, 2 * exact_cdf(a.size(), b.size(), static_cast<size_t>(std::llround(smaller))));
    return out;
  }
  const double pooled = m + n;
  const double variance = mn / 12 * ((pooled + 1) - ranks.tie_term / (pooled * (pooled - 1)));
  if (!(variance > 0)) return out;  // every value equal: nothing to tell apart
  const double z = (std::max(out.u, mn - out.u) - mn / 2 - 0.5) / std::sqrt(variance);
  out.p_value = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return out;
}

}  // namespace tikvbench::report
