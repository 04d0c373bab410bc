// CounterGenerator hands out start, start + 1, ... once each, across all
// threads: YCSB's CounterGenerator and go-ycsb's generator.Counter, the
// insert key sequence of the load phase.
//
// Thread safety: next() and last_value() from any thread (one atomic).
#pragma once

#include <atomic>
#include <cstdint>

#include "workload/number_generator.h"

namespace tikvbench::workload {

class CounterGenerator final : public NumberGenerator {
 public:
  explicit CounterGenerator(int64_t start);

  // The next number; `rng` is unused.
  int64_t next(Rng&) override { return next(); }
  int64_t next() { return counter_.fetch_add(1, std::memory_order_relaxed); }

  // The number handed out last by any thread (start - 1 before the first).
  int64_t last_value() const { return counter_.load(std::memory_order_relaxed) - 1; }

  // NaN: not a stationary distribution.
  double mean() const override { return detail::kNoMean; }

 private:
  std::atomic<int64_t> counter_;  // the next number
};

}  // namespace tikvbench::workload
