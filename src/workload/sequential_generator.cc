#include "workload/sequential_generator.h"

#include <cassert>

namespace tikvbench::workload {

SequentialGenerator::SequentialGenerator(int64_t count_start, int64_t count_end)
    : start_(count_start), interval_(count_end - count_start + 1) {
  assert(count_start <= count_end);
}

int64_t SequentialGenerator::next(Rng&) {
  return start_ + counter_.fetch_add(1, std::memory_order_relaxed) % interval_;
}

}  // namespace tikvbench::workload
