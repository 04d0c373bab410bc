// SequentialGenerator walks count_start, count_start + 1, ..., count_end and
// wraps back to count_start, sharing one position across all threads: YCSB's
// SequentialGenerator, the "sequential" request distribution.
//
// go-ycsb's generator.Sequential returns start + (AddInt64(&c, 1) % interval),
// so its first value is count_start + 1 and count_start comes last in each
// round; this follows Java YCSB (getAndIncrement), whose first value is
// count_start.
//
// Thread safety: next() from any thread (one atomic).
#pragma once

#include <atomic>
#include <cstdint>

#include "workload/number_generator.h"

namespace tikvbench::workload {

class SequentialGenerator final : public NumberGenerator {
 public:
  // REQUIRES: count_start <= count_end.
  SequentialGenerator(int64_t count_start, int64_t count_end);

  // The next value in [count_start, count_end]; `rng` is unused.
  int64_t next(Rng& rng) override;

  // NaN: YCSB leaves it unsupported.
  double mean() const override { return detail::kNoMean; }

 private:
  // Constant after construction.
  const int64_t start_;
  const int64_t interval_;
  std::atomic<int64_t> counter_{0};
};

}  // namespace tikvbench::workload
