// AcknowledgedCounterGenerator hands out insert ids like CounterGenerator,
// but last_value() reports only ids that were acknowledged: it is the highest
// id such that every id from start to it has been acknowledged. Reads that
// pick keys up to last_value() ("latest", "exponential") thus never ask for a
// record whose insert has not finished. YCSB's AcknowledgedCounterGenerator
// and go-ycsb's generator.AcknowledgedCounter: ids acknowledged ahead of the
// frontier wait in a window of kWindowSize slots, and whichever thread wins a
// try-lock moves the frontier over the contiguous acknowledged run.
//
// Two departures, both about liveness and neither visible to a caller that
// stays within the window:
//   - YCSB's acknowledge returns at once when another thread holds the lock,
//     so an id set just after that thread passed its slot waits for the next
//     acknowledgement (and forever, for the last one). Here the thread that
//     releases the lock looks at the next slot once more and advances again,
//     so last_value() catches up as soon as all ids are acknowledged.
//   - YCSB throws "Too many unacknowledged insertion keys" when an id's slot
//     is taken, and misses an id kWindowSize or more ahead of the frontier
//     whose slot happens to be free. acknowledge() here returns false for any
//     id outside (last_value(), last_value() + kWindowSize] or acknowledged
//     twice, and leaves the window unchanged.
//
// Thread safety: next(), acknowledge() and last_value() from any thread;
// nothing blocks (the frontier lock is only ever tried).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "workload/number_generator.h"

namespace tikvbench::workload {

class AcknowledgedCounterGenerator final : public NumberGenerator {
 public:
  // YCSB's WINDOW_SIZE (go-ycsb's WindowSize): 2^20 ids.
  static constexpr int64_t kWindowSize = int64_t{1} << 20;

  // Ids start at `start`; last_value() is start - 1 until start is
  // acknowledged. Allocates the window (1 MiB).
  explicit AcknowledgedCounterGenerator(int64_t start);

  // The next id to insert; `rng` is unused.
  int64_t next(Rng&) override { return next(); }
  int64_t next() { return counter_.fetch_add(1, std::memory_order_relaxed); }

  // The acknowledged frontier (see above). Never decreases.
  int64_t last_value() const { return limit_.load(std::memory_order_acquire); }

  // Marks `id` as inserted and advances the frontier over every contiguous
  // acknowledged id. Returns false, changing nothing, when `id` is at or
  // below the frontier, kWindowSize or more ahead of it, or already
  // acknowledged. REQUIRES: `id` came from next().
  bool acknowledge(int64_t id);

  // NaN: not a stationary distribution.
  double mean() const override { return detail::kNoMean; }

 private:
  static constexpr int64_t kWindowMask = kWindowSize - 1;

  std::atomic<bool>& slot(int64_t id) const { return window_[id & kWindowMask]; }

  std::atomic<int64_t> counter_;  // the next id
  std::atomic<int64_t> limit_;    // the frontier; stored only by the holder of advancing_
  std::atomic<bool> advancing_{false};  // the try-lock over the frontier
  // window_[id & kWindowMask]: id acknowledged, frontier not yet past it.
  const std::unique_ptr<std::atomic<bool>[]> window_;
};

}  // namespace tikvbench::workload
