// NumberGenerator is YCSB's NumberGenerator (site.ycsb.generator) and
// go-ycsb's ycsb.Generator: a source of int64 values with some distribution,
// used to pick record numbers, field lengths and scan lengths.
//
// Thread safety: one generator is shared by all workers of a run; next() may
// be called concurrently from any threads, each passing its own Rng. A
// generator is immutable after construction except where its header says
// otherwise, and then synchronizes inside.
// Errors: none at run time; constructors state their REQUIRES.
//
// Unlike YCSB, there is no lastValue() here: YCSB's base class records the
// last value drawn by any thread, which only the counters need, and they
// offer it themselves (CounterGenerator::last_value and friends).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "workload/rng.h"

namespace tikvbench::workload {

class NumberGenerator {
 public:
  NumberGenerator(const NumberGenerator&) = delete;
  NumberGenerator& operator=(const NumberGenerator&) = delete;
  virtual ~NumberGenerator() = default;

  // The next value, drawing from `rng` if the distribution is random.
  virtual int64_t next(Rng& rng) = 0;

  // The distribution's mean; NaN where YCSB throws UnsupportedOperation
  // (counters, sequences, Zipfian).
  virtual double mean() const = 0;

 protected:
  NumberGenerator() = default;
};

namespace detail {

// Java's (long) cast of a double, which YCSB's arithmetic relies on: NaN
// becomes 0, values beyond the range saturate, the rest truncate toward
// zero. (A plain static_cast is undefined for NaN and out-of-range values.)
inline int64_t java_long(double value) {
  if (std::isnan(value)) return 0;
  if (value >= 0x1.0p63) return std::numeric_limits<int64_t>::max();
  if (value <= -0x1.0p63) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(value);
}

inline constexpr double kNoMean = std::numeric_limits<double>::quiet_NaN();

}  // namespace detail
}  // namespace tikvbench::workload
