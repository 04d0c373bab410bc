#include "workload/skewed_latest_generator.h"

#include <cassert>

namespace tikvbench::workload {

// YCSB: new ZipfianGenerator(basis.lastValue()), that is items 0..last - 1.
SkewedLatestGenerator::SkewedLatestGenerator(const AcknowledgedCounterGenerator& basis)
    : basis_(basis), zipfian_(0, basis.last_value() - 1) {
  assert(basis.last_value() >= 0);
}

int64_t SkewedLatestGenerator::next(Rng& rng) {
  const int64_t max = basis_.last_value();
  return max - zipfian_.next(rng, max);
}

}  // namespace tikvbench::workload
