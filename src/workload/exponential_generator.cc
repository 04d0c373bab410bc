#include "workload/exponential_generator.h"

#include <cassert>
#include <cmath>

namespace tikvbench::workload {

ExponentialGenerator::ExponentialGenerator(double percentile, double range)
    : gamma_(-std::log(1.0 - percentile / 100.0) / range) {
  assert(percentile > 0 && percentile < 100);
  assert(range > 0);
}

double ExponentialGenerator::next_double(Rng& rng) const { return -std::log(rng.next_double()) / gamma_; }

int64_t ExponentialGenerator::next(Rng& rng) { return detail::java_long(next_double(rng)); }

}  // namespace tikvbench::workload
