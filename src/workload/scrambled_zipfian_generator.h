// ScrambledZipfianGenerator draws from [min, max] with a Zipfian popularity
// whose popular items are scattered over the range instead of packed at min:
// YCSB's ScrambledZipfianGenerator and go-ycsb's generator.ScrambledZipfian,
// the "zipfian" request distribution of both core workloads.
//
// It draws z from a Zipfian over the fixed items 0..kItemCount (10^10 + 1
// items, theta 0.99, zeta taken as the precomputed kZetan) and returns
//   min + hash(z) % (max - min + 1)
// with hash = fnv_hash64 (go-ycsb) or java_fnv_hash64 (Java YCSB). The hot
// items are therefore hash(0), hash(1), ... modulo the count. Any theta other
// than exactly 0.99 sums zeta over 10^10 + 1 items at construction, which
// takes minutes, as in YCSB.
//
// The hash is non-negative except for INT64_MIN (see fnv_hash.h), where the
// originals return a value below min; that takes a Zipfian draw hashing to
// exactly 2^63 and is reproduced, not corrected.
//
// Thread safety: immutable after construction (the inner Zipfian never
// grows); next() from any thread.
#pragma once

#include <cstdint>

#include "util/fnv_hash.h"
#include "workload/number_generator.h"
#include "workload/zipfian_generator.h"

namespace tikvbench::workload {

class ScrambledZipfianGenerator final : public NumberGenerator {
 public:
  // YCSB's ZETAN, USED_ZIPFIAN_CONSTANT and ITEM_COUNT.
  static constexpr double kZetan = 26.46902820178302;
  static constexpr double kUsedTheta = 0.99;
  static constexpr int64_t kItemCount = 10'000'000'000;

  using Hash = int64_t (*)(int64_t);

  // Items min..max inclusive. REQUIRES: min <= max; 0 <= theta < 1.
  ScrambledZipfianGenerator(int64_t min, int64_t max, double theta = ZipfianGenerator::kDefaultTheta,
                            Hash hash = fnv_hash64);

  // A value in [min, max] (see above for the one exception).
  int64_t next(Rng& rng) override;

  // (min + max) / 2: the scrambling is taken to be uniform, as YCSB does.
  double mean() const override;

  int64_t item_count() const { return item_count_; }

 private:
  // Constant after construction.
  const int64_t min_;
  const int64_t max_;
  const int64_t item_count_;
  const Hash hash_;
  ZipfianGenerator zipfian_;
};

}  // namespace tikvbench::workload
