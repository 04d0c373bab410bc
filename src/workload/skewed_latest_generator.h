// SkewedLatestGenerator favours the most recently inserted records: YCSB's
// SkewedLatestGenerator and go-ycsb's generator.SkewedLatest, the "latest"
// request distribution. Each draw reads the acknowledged frontier
//   max = basis.last_value()
// and returns max - zipfian.next(rng, max), where the Zipfian (theta 0.99,
// min 0) was built over basis.last_value() items at construction and grows
// its zeta as the frontier moves. So max itself is the most popular value,
// max - 1 the next, and the result is always in [0, max]: never an id whose
// insert is not acknowledged.
//
// Thread safety: next() from any thread (the frontier is one atomic, the
// Zipfian grows under its own lock).
// Lifetime: `basis` must outlive the generator.
#pragma once

#include <cstdint>

#include "workload/acknowledged_counter_generator.h"
#include "workload/number_generator.h"
#include "workload/zipfian_generator.h"

namespace tikvbench::workload {

class SkewedLatestGenerator final : public NumberGenerator {
 public:
  // Sums zeta over basis.last_value() items. REQUIRES:
  // basis.last_value() >= 0; with last_value() 0 (a single record) YCSB's
  // arithmetic degenerates and every draw returns the frontier.
  explicit SkewedLatestGenerator(const AcknowledgedCounterGenerator& basis);

  // A value in [0, basis.last_value()] as read at the start of the call.
  int64_t next(Rng& rng) override;

  // NaN: not a stationary distribution.
  double mean() const override { return detail::kNoMean; }

 private:
  const AcknowledgedCounterGenerator& basis_;
  ZipfianGenerator zipfian_;
};

}  // namespace tikvbench::workload
