#include "workload/scrambled_zipfian_generator.h"

#include <cassert>

namespace tikvbench::workload {

// YCSB builds ZipfianGenerator(0, ITEM_COUNT, ...), which is ITEM_COUNT + 1
// items, while ZETAN is zeta over ITEM_COUNT of them; kept as it is.
ScrambledZipfianGenerator::ScrambledZipfianGenerator(int64_t min, int64_t max, double theta, Hash hash)
    : min_(min),
      max_(max),
      item_count_(max - min + 1),
      hash_(hash),
      zipfian_(0, kItemCount, theta,
               theta == kUsedTheta ? kZetan : ZipfianGenerator::zeta(kItemCount + 1, theta)) {
  assert(min <= max);
}

int64_t ScrambledZipfianGenerator::next(Rng& rng) { return min_ + hash_(zipfian_.next(rng)) % item_count_; }

double ScrambledZipfianGenerator::mean() const { return (static_cast<double>(min_) + static_cast<double>(max_)) / 2.0; }

}  // namespace tikvbench::workload
