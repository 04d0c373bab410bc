// ExponentialGenerator draws exponentially distributed values skewed toward
// 0: YCSB's ExponentialGenerator and go-ycsb's generator.Exponential, the
// "exponential" request distribution, where the workload reads record
// last_value() - next() (redrawing while that is negative). Built from a
// percentile and a range, so that `percentile` percent of the draws fall
// below `range`:
//   gamma = -ln(1 - percentile / 100) / range
//   next  = -ln(u) / gamma,  u uniform in [0, 1)
// Java YCSB returns that double (next_double); go-ycsb truncates it to int64
// (next). The core workloads use percentile = exponential.percentile (95)
// and range = recordcount * exponential.frac (0.8571428571).
//
// u = 0 gives +inf, which next() saturates to INT64_MAX (Go's conversion is
// undefined there); the workload's redraw loop then rejects it.
//
// Thread safety: immutable after construction; next() from any thread.
#pragma once

#include <cstdint>

#include "workload/number_generator.h"

namespace tikvbench::workload {

class ExponentialGenerator final : public NumberGenerator {
 public:
  // go-ycsb's (and YCSB's CoreWorkload's) defaults.
  static constexpr double kDefaultPercentile = 95;
  static constexpr double kDefaultFrac = 0.8571428571;

  // REQUIRES: 0 < percentile < 100; range > 0.
  ExponentialGenerator(double percentile, double range);

  // go-ycsb: the draw truncated toward zero; >= 0.
  int64_t next(Rng& rng) override;

  // Java YCSB: the draw itself; >= 0, +inf when u is 0.
  double next_double(Rng& rng) const;

  // 1 / gamma (of next_double; next's is about 0.5 less).
  double mean() const override { return 1.0 / gamma_; }

  double gamma() const { return gamma_; }

 private:
  const double gamma_;
};

}  // namespace tikvbench::workload
