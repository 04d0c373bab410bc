#include "measure/success_gaps.h"

#include <bit>

namespace tikvbench::measure {
namespace {

uint64_t ring_size(std::chrono::nanoseconds horizon) {
  const auto ticks = static_cast<uint64_t>(std::max<int64_t>(1024, horizon / SuccessGaps::kTick));
  return std::bit_ceil(ticks);
}

}  // namespace

SuccessGaps::SuccessGaps(std::chrono::nanoseconds horizon)
    : size_(ring_size(horizon)), flags_(std::make_unique<std::atomic<uint8_t>[]>(size_)) {
  for (uint64_t i = 0; i < size_; ++i) flags_[i].store(0, std::memory_order_relaxed);
}

void SuccessGaps::settle(std::chrono::nanoseconds until) {
  if (until.count() <= 0) return;
  const auto end = static_cast<uint64_t>(until / kTick);
  uint64_t tick = cursor_.load(std::memory_order_relaxed);
  for (; tick < end; ++tick) {
    auto& flag = flags_[tick & (size_ - 1)];
    if (flag.load(std::memory_order_relaxed) == 0) continue;
    flag.store(0, std::memory_order_relaxed);
    if (tick > run_start_ && kTick * static_cast<int64_t>(tick - run_start_) > longest_.length) {
      longest_ = {kTick * static_cast<int64_t>(run_start_), kTick * static_cast<int64_t>(tick - run_start_)};
    }
    run_start_ = tick + 1;
  }
  cursor_.store(std::max(tick, cursor_.load(std::memory_order_relaxed)), std::memory_order_relaxed);
}

void SuccessGaps::skip_to(std::chrono::nanoseconds t) {
  const auto tick = static_cast<uint64_t>(std::max<int64_t>(0, t / kTick));
  const uint64_t cursor = cursor_.load(std::memory_order_relaxed);
  if (tick <= cursor) return;
  longest_ = longest();  // the open stretch ends at the cursor
  for (uint64_t i = cursor; i < tick && i < cursor + size_; ++i) flags_[i & (size_ - 1)].store(0, std::memory_order_relaxed);
  cursor_.store(tick, std::memory_order_relaxed);
  run_start_ = tick;
}

SuccessGaps::Gap SuccessGaps::longest() const {
  const uint64_t cursor = cursor_.load(std::memory_order_relaxed);
  if (cursor > run_start_ && kTick * static_cast<int64_t>(cursor - run_start_) > longest_.length) {
    return {kTick * static_cast<int64_t>(run_start_), kTick * static_cast<int64_t>(cursor - run_start_)};
  }
  return longest_;
}

}  // namespace tikvbench::measure
