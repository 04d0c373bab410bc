#include "workload/counter_generator.h"

namespace tikvbench::workload {

// YCSB's getAndIncrement returns start first, and so does current go-ycsb
// (AddInt64(&c, 1) - 1); some older go-ycsb versions dropped the - 1 and
// started at start + 1.
CounterGenerator::CounterGenerator(int64_t start) : counter_(start) {}

}  // namespace tikvbench::workload
