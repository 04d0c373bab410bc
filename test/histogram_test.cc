// The HDR histogram: its layout, percentiles, value equivalence, clamping,
// merging and percentile spectrum. Its codec and interval log are
// histogram_codec_test's. Expected values marked "HdrHistogram:" were
// computed by HdrHistogram itself (the Java test suite's values, checked with
// hdr-histogram-js 3.0.1).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "measure/histogram.h"
#include "support/histogram_samples.h"

// A suite of the one test executable; meson runs it as "histogram".
BOOST_AUTO_TEST_SUITE(histogram_test)

using namespace tikvbench;
using namespace tikvbench::measure;
using tikvbench::test::check_same_counts;
using tikvbench::test::skewed_histogram;

BOOST_AUTO_TEST_CASE(default_layout_is_one_microsecond_to_an_hour_in_23552_counters) {
  Histogram histogram;
  BOOST_TEST(histogram.lowest_discernible_value() == 1);
  BOOST_TEST(histogram.highest_trackable_value() == 3'600'000'000);
  BOOST_TEST(histogram.significant_figures() == 3);
  // 2048 sub-buckets, 22 buckets (HdrHistogram: "Buckets = 22, SubBuckets = 2048").
  BOOST_TEST(histogram.counts_length() == 23 * 1024);
  BOOST_TEST(histogram.memory_size() >= 188'416u);
  BOOST_TEST(histogram.memory_size() < 188'416u + 256);
  BOOST_TEST(*Histogram::counts_length_for(1, 3'600'000'000, 3) == 23552);
}

BOOST_AUTO_TEST_CASE(invalid_layouts_are_refused) {
  BOOST_CHECK_THROW(Histogram(0, 100, 3), std::invalid_argument);
  BOOST_CHECK_THROW(Histogram(10, 19, 3), std::invalid_argument);
  BOOST_CHECK_THROW(Histogram(1, 100, 6), std::invalid_argument);
  BOOST_CHECK_THROW(Histogram(1, 100, -1), std::invalid_argument);
  const Result<Histogram> bad = Histogram::create(1, 100, 7);
  BOOST_TEST(!bad.ok());
  BOOST_TEST((bad.status().code() == StatusCode::kInvalidArgument));
  BOOST_TEST(bad.status().message().find("significant_figures") != std::string::npos);
  BOOST_TEST(!Histogram::create(int64_t{1} << 61, INT64_MAX, 3).ok());  // 3 digits do not fit above 2^61
  BOOST_TEST(Histogram::create(1, 2, 0).ok());
}

BOOST_AUTO_TEST_CASE(uniform_one_to_a_million_has_hdr_histogram_percentiles) {
  Histogram histogram;
  for (int64_t v = 1; v <= 1'000'000; ++v) histogram.record(v);
  BOOST_TEST(histogram.total_count() == 1'000'000);
  // HdrHistogram: 500223, 990207, 999423, 1, 1000447.
  BOOST_TEST(histogram.value_at_percentile(50) == 500'223);
  BOOST_TEST(histogram.value_at_percentile(99) == 990'207);
  BOOST_TEST(histogram.value_at_percentile(99.9) == 999'423);
  BOOST_TEST(histogram.value_at_percentile(0) == 1);
  BOOST_TEST(histogram.value_at_percentile(100) == 1'000'447);
  BOOST_TEST(histogram.value_at_percentile(250) == 1'000'447);  // clamped
  BOOST_TEST(histogram.min() == 1);
  BOOST_TEST(histogram.max() == 1'000'447);
  // Within the 3-digit precision of the exact answers.
  BOOST_TEST(std::abs(histogram.value_at_percentile(50) - 500'000) <= 500'000 / 1000);
  BOOST_TEST(std::abs(histogram.value_at_percentile(99) - 990'000) <= 990'000 / 1000);
  // HdrHistogram: mean 500001.013504, stddev 288675.1406991096 (bucket medians).
  BOOST_TEST(histogram.mean() == 500'001.013504, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(histogram.stddev() == 288'675.1406991096, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(histogram.mean() == 500'000.5, boost::test_tools::tolerance(0.001));
  BOOST_TEST(histogram.stddev() == 1'000'000 / std::sqrt(12.0), boost::test_tools::tolerance(0.001));
}

BOOST_AUTO_TEST_CASE(a_rare_outlier_shows_only_in_the_far_tail) {
  // HdrHistogram's own testGetValueAtPercentile data.
  Histogram histogram;
  histogram.record(1000, 10'000);
  histogram.record(100'000'000);
  BOOST_TEST(histogram.value_at_percentile(30) == 1000);
  BOOST_TEST(histogram.value_at_percentile(99) == 1000);
  BOOST_TEST(histogram.value_at_percentile(99.99) == 1000);
  BOOST_TEST(histogram.value_at_percentile(99.999) == 100'007'935);
  BOOST_TEST(histogram.value_at_percentile(100) == 100'007'935);
  BOOST_TEST(histogram.mean() == 10'996.417158284172, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(histogram.stddev() == 999'641.7158284171, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(values_are_equivalent_within_three_significant_digits) {
  Histogram histogram;
  // HdrHistogram's equivalence tests.
  BOOST_TEST(histogram.lowest_equivalent_value(10007) == 10000);
  BOOST_TEST(histogram.highest_equivalent_value(8180) == 8183);
  BOOST_TEST(histogram.highest_equivalent_value(8191) == 8191);
  BOOST_TEST(histogram.highest_equivalent_value(8193) == 8199);
  BOOST_TEST(histogram.highest_equivalent_value(9995) == 9999);
  BOOST_TEST(histogram.highest_equivalent_value(10007) == 10007);
  BOOST_TEST(histogram.highest_equivalent_value(10008) == 10015);
  BOOST_TEST(histogram.size_of_equivalent_value_range(1) == 1);
  BOOST_TEST(histogram.size_of_equivalent_value_range(2500) == 2);
  BOOST_TEST(histogram.size_of_equivalent_value_range(8191) == 4);
  BOOST_TEST(histogram.size_of_equivalent_value_range(8192) == 8);
  BOOST_TEST(histogram.size_of_equivalent_value_range(10000) == 8);
  BOOST_TEST(histogram.median_equivalent_value(4) == 4);
  BOOST_TEST(histogram.median_equivalent_value(5) == 5);
  BOOST_TEST(histogram.median_equivalent_value(4000) == 4001);
  BOOST_TEST(histogram.median_equivalent_value(8000) == 8002);
  BOOST_TEST(histogram.median_equivalent_value(10007) == 10004);
  BOOST_TEST(histogram.next_non_equivalent_value(10007) == 10008);
  BOOST_TEST(histogram.values_are_equivalent(10000, 10007));
  BOOST_TEST(!histogram.values_are_equivalent(10007, 10008));
  // Every value up to 2047 is exact; any value keeps 3 digits.
  for (int64_t v = 0; v < 2048; ++v) BOOST_TEST_REQUIRE(histogram.size_of_equivalent_value_range(v) == 1);
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<int64_t> any(1, 3'600'000'000);
  for (int i = 0; i < 100'000; ++i) {
    const int64_t v = any(rng);
    const int64_t low = histogram.lowest_equivalent_value(v);
    const int64_t high = histogram.highest_equivalent_value(v);
    BOOST_TEST_REQUIRE((low <= v && v <= high));
    BOOST_TEST_REQUIRE(static_cast<double>(high - low) / static_cast<double>(v) < 0.001);
    BOOST_TEST_REQUIRE(histogram.value_at_index(histogram.index_for(v)) == low);
  }
}

BOOST_AUTO_TEST_CASE(values_above_an_hour_clamp_and_are_counted_as_saturated) {
  Histogram histogram;
  histogram.record(5'000'000'000);
  histogram.record(INT64_MAX, 2);
  histogram.record(3'600'000'000);
  histogram.record(-7);  // below the lowest bucket: recorded as 0
  histogram.record(42, 0);  // nothing
  histogram.record(42, -3);  // nothing
  BOOST_TEST(histogram.total_count() == 5);
  BOOST_TEST(histogram.saturated_count() == 3);
  BOOST_TEST(histogram.count_at_value(3'600'000'000) == 4);
  BOOST_TEST(histogram.count_at_value(0) == 1);
  BOOST_TEST(histogram.count_at_value(42) == 0);
  BOOST_TEST(histogram.max() == histogram.highest_equivalent_value(3'600'000'000));
  BOOST_TEST(histogram.min() == 0);
  BOOST_TEST(histogram.value_at_percentile(100) == histogram.max());
  histogram.reset();
  BOOST_TEST(histogram.total_count() == 0);
  BOOST_TEST(histogram.saturated_count() == 0);
  BOOST_TEST(histogram.max() == 0);
  BOOST_TEST(histogram.min() == 0);
  BOOST_TEST(histogram.mean() == 0.0);
  BOOST_TEST(histogram.value_at_percentile(99) == 0);
  BOOST_TEST(histogram.percentile_spectrum().empty());
}

BOOST_AUTO_TEST_CASE(merge_equals_recording_both_into_one) {
  std::mt19937_64 rng(2);
  std::lognormal_distribution<double> latency(6.0, 2.0);
  Histogram a, b, both;
  for (int i = 0; i < 50'000; ++i) {
    const auto v = static_cast<int64_t>(latency(rng));
    (i % 3 == 0 ? a : b).record(v);
    both.record(v);
  }
  a.record(9'000'000'000);
  both.record(9'000'000'000);
  BOOST_TEST(a.merge(b).ok());
  check_same_counts(a, both);
  BOOST_TEST(a.saturated_count() == 1);
  BOOST_TEST(a.mean() == both.mean());
  BOOST_TEST(a.value_at_percentile(99.9) == both.value_at_percentile(99.9));

  Histogram other_layout(1, 1'000'000, 2);
  other_layout.record(5);
  const Status refused = a.merge(other_layout);
  BOOST_TEST((refused.code() == StatusCode::kInvalidArgument));
  check_same_counts(a, both);
}

BOOST_AUTO_TEST_CASE(percentile_spectrum_walks_levels_as_hdr_histogram_does) {
  Histogram histogram;
  for (int64_t v = 1; v <= 100; ++v) histogram.record(v);
  const std::vector<PercentilePoint> points = histogram.percentile_spectrum(5);
  // HdrHistogram's outputPercentileDistribution(5) for 1..100: 36 lines.
  const std::vector<std::pair<double, int64_t>> expected = {
      {0, 1},        {10, 10},      {20, 20},      {30, 30},      {40, 40},       {50, 50},
      {55, 55},      {60, 60},      {65, 65},      {70, 70},      {75, 75},       {77.5, 78},
      {80, 80},      {82.5, 83},    {85, 85},      {87.5, 88},    {88.75, 89},    {90, 90},
      {91.25, 92},   {92.5, 93},    {93.75, 94},   {94.375, 95},  {95, 95},       {95.625, 96},
      {96.25, 97},   {96.875, 97},  {97.1875, 98}, {97.5, 98},    {97.8125, 98},  {98.125, 99},
      {98.4375, 99}, {98.59375, 99}, {98.75, 99},  {98.90625, 99}, {99.0625, 100}, {100, 100}};
  BOOST_TEST_REQUIRE(points.size() == expected.size());
  for (size_t i = 0; i < points.size(); ++i) {
    BOOST_TEST(points[i].percentile == expected[i].first);
    BOOST_TEST(points[i].value == expected[i].second);
    BOOST_TEST(points[i].total_count == expected[i].second);
  }
  const Histogram skewed = skewed_histogram(3, 100'000);
  const std::vector<PercentilePoint> tail = skewed.percentile_spectrum(5);
  BOOST_TEST(tail.front().percentile == 0.0);
  BOOST_TEST(tail.back().percentile == 100.0);
  BOOST_TEST(tail.back().value == skewed.max());
  BOOST_TEST(tail.back().total_count == skewed.total_count());
  for (size_t i = 1; i < tail.size(); ++i) {
    BOOST_TEST_REQUIRE(tail[i].percentile >= tail[i - 1].percentile);
    BOOST_TEST_REQUIRE(tail[i].value >= tail[i - 1].value);
  }
}

BOOST_AUTO_TEST_SUITE_END()  // histogram_test
