// ZipfianGenerator draws items from [min, max] with a Zipfian skew: min is the
// most popular, min + 1 the next, and so on, item i (counting from 0) being
// drawn with probability about 1 / ((i + 1)^theta * zeta(n, theta)). It is
// Gray et al.'s method ("Quickly Generating Billion-Record Synthetic
// Databases", SIGMOD 1994) exactly as YCSB's ZipfianGenerator and go-ycsb's
// generator.Zipfian compute it, including their quirks:
//   - items 0 and 1 are returned by two threshold tests on u * zetan; the
//     rest is min + (long)(n * (eta * u - eta + 1)^alpha), truncated (there
//     is no rounding term), so u close to 1 can return min + n, one past max;
//   - next(rng, item_count) may name a larger item count than the
//     constructor's; zeta is then extended incrementally, but eta is
//     recomputed from the constructor's item count, not the new one;
//   - a smaller item count reuses the larger zeta (YCSB's
//     allowitemcountdecrease is always false) and is used only in the final
//     multiplication.
// Floating-point results can differ from Java's in the last bit where
// std::pow and Math.pow round differently; the control flow, the summation
// order and the casts are the same.
//
// Construction sums zeta over all items: O(n) calls to pow, about a second
// per 10^8 items.
//
// Thread safety: next() from any thread. zetan and eta change only when an
// item count grows; the growing thread computes under grow_mu_ and publishes
// through a sequence lock, so the fast path takes no lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "workload/number_generator.h"

namespace tikvbench::workload {

class ZipfianGenerator final : public NumberGenerator {
 public:
  // YCSB's ZipfianGenerator.ZIPFIAN_CONSTANT (go-ycsb's ZipfianConstant).
  static constexpr double kDefaultTheta = 0.99;

  // Items min..max inclusive; computes zeta(max - min + 1, theta).
  // REQUIRES: max >= min - 1 (n >= 0); 0 <= theta < 1.
  ZipfianGenerator(int64_t min, int64_t max, double theta = kDefaultTheta);

  // As above with zeta(max - min + 1, theta) given, as ScrambledZipfian does.
  ZipfianGenerator(int64_t min, int64_t max, double theta, double zetan);

  // A value in [min, min + n] (min + n only when u rounds the power to 1).
  int64_t next(Rng& rng) override { return next(rng, items_); }

  // As next(rng) over item_count items starting at min; zeta is extended
  // first if item_count exceeds every count seen so far (blocks on grow_mu_
  // while another thread extends it). REQUIRES: item_count >= 0.
  int64_t next(Rng& rng, int64_t item_count);

  // NaN: YCSB leaves it unimplemented.
  double mean() const override { return detail::kNoMean; }

  int64_t items() const { return items_; }
  int64_t base() const { return base_; }
  double theta() const { return theta_; }
  // zeta over count_for_zeta() items, as of now.
  double zetan() const { return load().zetan; }
  int64_t count_for_zeta() const { return load().count; }

  // sum over i in [st, n) of 1 / (i + 1)^theta, added to initial_sum in that
  // order (YCSB's zetastatic).
  static double zeta(int64_t st, int64_t n, double theta, double initial_sum);
  static double zeta(int64_t n, double theta) { return zeta(0, n, theta, 0); }

 private:
  struct State {
    int64_t count;  // the item count zetan was computed for
    double zetan;
    double eta;
  };

  State load() const;
  void grow(int64_t item_count);
  double eta_for(double zetan) const;

  // Constant after construction.
  const int64_t items_;
  const int64_t base_;
  const double theta_;
  const double zeta2theta_;
  const double alpha_;
  const double second_threshold_;  // 1 + 0.5^theta

  // Written only under grow_mu_, inside an odd seq_; read through load().
  std::mutex grow_mu_;
  std::atomic<uint64_t> seq_{0};
  std::atomic<int64_t> count_;
  std::atomic<double> zetan_;
  std::atomic<double> eta_;
};

}  // namespace tikvbench::workload
