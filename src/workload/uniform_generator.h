// UniformGenerator draws integers uniformly from [lb, ub], both inclusive:
// YCSB's UniformLongGenerator and go-ycsb's generator.Uniform. YCSB computes
// `Math.abs(nextLong()) % interval + lb` and go-ycsb `r.Int63n(interval) + lb`;
// both are uniform up to their RNG, and so is Rng::uniform, which has no
// modulo bias.
//
// Thread safety: immutable after construction; next() from any thread.
#pragma once

#include <cstdint>

#include "workload/number_generator.h"

namespace tikvbench::workload {

class UniformGenerator final : public NumberGenerator {
 public:
  // REQUIRES: lb <= ub.
  UniformGenerator(int64_t lb, int64_t ub);

  // A value in [lb, ub].
  int64_t next(Rng& rng) override { return rng.uniform(lb_, ub_); }

  // (lb + ub) / 2.
  double mean() const override;

  int64_t lb() const { return lb_; }
  int64_t ub() const { return ub_; }

 private:
  const int64_t lb_;
  const int64_t ub_;
};

}  // namespace tikvbench::workload
