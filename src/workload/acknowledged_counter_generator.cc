#include "workload/acknowledged_counter_generator.h"

namespace tikvbench::workload {

AcknowledgedCounterGenerator::AcknowledgedCounterGenerator(int64_t start)
    : counter_(start), limit_(start - 1), window_(std::make_unique<std::atomic<bool>[]>(kWindowSize)) {}

// The slots and the try-lock use sequentially consistent operations: if this
// thread's exchange on advancing_ fails, the holder's release of it comes
// later in the single total order than our store to the slot, so the
// holder's re-check after releasing sees the slot set.
bool AcknowledgedCounterGenerator::acknowledge(int64_t id) {
  // Ids in (limit, limit + kWindowSize] own distinct slots. A stale limit is
  // smaller, so the test is only stricter.
  const int64_t limit = limit_.load();
  if (id <= limit || id - limit > kWindowSize) return false;
  if (slot(id).exchange(true)) return false;

  for (;;) {
    if (advancing_.exchange(true)) return true;  // the holder will see our slot
    int64_t index = limit_.load() + 1;
    const int64_t end = index + kWindowSize;
    while (index != end && slot(index).load()) {
      slot(index).store(false);
      ++index;
    }
    limit_.store(index - 1);
    advancing_.store(false);
    if (!slot(index).load()) return true;
  }
}

}  // namespace tikvbench::workload
