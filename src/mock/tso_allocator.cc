#include "mock/tso_allocator.h"

#include <chrono>

namespace tikvbench::mock {

TsoTimestamp TsoAllocator::allocate(uint32_t count) {
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  std::lock_guard lock(mu_);
  if (now_ms > last_.physical) {
    last_ = {now_ms, 0};
  }
  if (last_.logical + count >= kMaxLogical) {
    // The logical part is used up within this millisecond: move to the
    // next one, as PD does once its logical part overflows.
    last_ = {last_.physical + 1, 0};
  }
  last_.logical += count;
  return last_;
}

}  // namespace tikvbench::mock
