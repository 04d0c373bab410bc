// Histograms for the tests of the histogram and its codec: a check that two
// hold the same counts, and a latency-like sample to record.
#pragma once

#include <cstdint>
#include <random>

#include <boost/test/unit_test.hpp>

#include "measure/histogram.h"

namespace tikvbench::test {

inline void check_same_counts(const measure::Histogram& a, const measure::Histogram& b) {
  BOOST_TEST_REQUIRE(a.same_layout(b));
  BOOST_TEST(a.total_count() == b.total_count());
  BOOST_TEST(a.min() == b.min());
  BOOST_TEST(a.max() == b.max());
  int mismatches = 0;
  for (int32_t i = 0; i < a.counts_length(); ++i) mismatches += a.count_at_index(i) != b.count_at_index(i);
  BOOST_TEST(mismatches == 0);
}

// A latency-like mix: mostly 100 us .. 10 ms, a tail to seconds, some zeros
// and values above an hour.
inline measure::Histogram skewed_histogram(uint64_t seed, int values) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> latency(7.0, 1.5);
  measure::Histogram histogram;
  for (int i = 0; i < values; ++i) histogram.record(static_cast<int64_t>(latency(rng)));
  histogram.record(0, 3);
  histogram.record(int64_t{5'000'000'000}, 2);
  return histogram;
}

}  // namespace tikvbench::test
