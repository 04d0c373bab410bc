// The YCSB number generators: their distributions against the formulas they
// come from, their exact arithmetic where YCSB's is exact (the Zipfian's
// closed form), and their behaviour when shared by threads. The counters
// are counters_test's; the key hashes util_test's.
// Every statistical check uses a fixed seed and a tolerance of about five
// standard deviations, so it is deterministic and a wrong formula fails it.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <thread>
#include <vector>

#include "workload/acknowledged_counter_generator.h"
#include "workload/counter_generator.h"
#include "workload/discrete_generator.h"
#include "workload/exponential_generator.h"
#include "util/fnv_hash.h"
#include "workload/hotspot_generator.h"
#include "workload/rng.h"
#include "workload/scrambled_zipfian_generator.h"
#include "workload/sequential_generator.h"
#include "workload/skewed_latest_generator.h"
#include "workload/uniform_generator.h"
#include "workload/zipfian_generator.h"

// A suite of the one test executable; meson runs it as "generators".
BOOST_AUTO_TEST_SUITE(generators_test)

using namespace tikvbench::workload;
using tikvbench::fnv_hash64;
using tikvbench::java_fnv_hash64;

namespace {

constexpr int kDraws = 1'000'000;

// Five standard deviations of a frequency p estimated from n draws.
double tolerance(double p, int n = kDraws) { return 5 * std::sqrt(p * (1 - p) / n); }

// The probability that Gray's method returns item k (k >= 2) of n, from its
// closed form: k <= n * (eta*u - eta + 1)^alpha < k + 1, for u above the
// second threshold. Independent of the generator's code. After the item
// count grew, YCSB computes zeta over the new count but eta over the
// constructor's: pass that as eta_items.
double gray_probability(int64_t k, int64_t n, double theta, int64_t eta_items = 0) {
  if (eta_items == 0) eta_items = n;
  const double zetan = ZipfianGenerator::zeta(n, theta);
  const double zeta2 = 1 + std::pow(0.5, theta);
  const double eta = (1 - std::pow(2.0 / eta_items, 1 - theta)) / (1 - zeta2 / zetan);
  const double lo = std::max((std::pow(double(k) / n, 1 - theta) - 1) / eta + 1, zeta2 / zetan);
  const double hi = std::min((std::pow(double(k + 1) / n, 1 - theta) - 1) / eta + 1, 1.0);
  return std::max(0.0, hi - lo);
}

}  // namespace

// ---- Rng ----

BOOST_AUTO_TEST_CASE(rng_sequence_is_pinned_for_a_seed) {
  // xoshiro256** seeded by splitmix64, computed independently (Python).
  Rng zero(0);
  BOOST_TEST(zero.next_u64() == 0x99ec5f36cb75f2b4u);
  BOOST_TEST(zero.next_u64() == 0xbf6e1f784956452au);
  BOOST_TEST(zero.next_u64() == 0x1a5f849d4933e6e0u);
  Rng answer(42);
  BOOST_TEST(answer.next_u64() == 0x15780b2e0c2ec716u);
  BOOST_TEST(answer.next_u64() == 0x6104d9866d113a7eu);
  BOOST_TEST(answer.next_u64() == 0xae17533239e499a1u);
}

BOOST_AUTO_TEST_CASE(rng_is_deterministic_for_a_seed_and_differs_across_seeds) {
  Rng a(7), b(7), c(8);
  int same_as_other_seed = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.next_u64();
    BOOST_REQUIRE(x == b.next_u64());
    same_as_other_seed += x == c.next_u64();
  }
  BOOST_TEST(same_as_other_seed == 0);
}

BOOST_AUTO_TEST_CASE(rng_uniform_covers_its_inclusive_bounds_evenly) {
  Rng rng(1);
  std::map<int64_t, int> counts;
  for (int i = 0; i < 700'000; ++i) {
    const int64_t v = rng.uniform(-3, 3);
    BOOST_REQUIRE(v >= -3);
    BOOST_REQUIRE(v <= 3);
    ++counts[v];
  }
  BOOST_TEST(counts.size() == 7u);
  for (const auto& [value, count] : counts) {
    BOOST_TEST(std::abs(count / 700'000.0 - 1 / 7.0) < tolerance(1 / 7.0, 700'000), "value " << value);
  }
  BOOST_TEST(rng.uniform(5, 5) == 5);
  // The full range does not overflow.
  const int64_t lowest = std::numeric_limits<int64_t>::min(), highest = std::numeric_limits<int64_t>::max();
  bool negative = false, positive = false;
  for (int i = 0; i < 100; ++i) {
    const int64_t v = rng.uniform(lowest, highest);
    negative |= v < 0;
    positive |= v > 0;
  }
  BOOST_TEST(negative);
  BOOST_TEST(positive);
}

BOOST_AUTO_TEST_CASE(rng_next_double_is_in_the_half_open_unit_interval_with_mean_one_half) {
  Rng rng(2);
  double sum = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double u = rng.next_double();
    BOOST_REQUIRE(u >= 0.0);
    BOOST_REQUIRE(u < 1.0);
    sum += u;
  }
  // The mean of U(0,1) has standard deviation sqrt(1/12 / n).
  BOOST_TEST(std::abs(sum / kDraws - 0.5) < 5 * std::sqrt(1.0 / 12 / kDraws));
}

// ---- Uniform ----

BOOST_AUTO_TEST_CASE(uniform_generator_stays_in_range_with_the_midpoint_mean) {
  UniformGenerator gen(10, 1009);
  BOOST_TEST(gen.mean() == 509.5);
  Rng rng(3);
  double sum = 0;
  int64_t lowest = 2000, highest = 0;
  for (int i = 0; i < kDraws; ++i) {
    const int64_t v = gen.next(rng);
    lowest = std::min(lowest, v);
    highest = std::max(highest, v);
    sum += v;
  }
  BOOST_TEST(lowest == 10);
  BOOST_TEST(highest == 1009);
  // Standard deviation of the sample mean: sqrt((n^2 - 1) / 12 / draws).
  BOOST_TEST(std::abs(sum / kDraws - 509.5) < 5 * std::sqrt((1000.0 * 1000 - 1) / 12 / kDraws));
}

// ---- Zipfian ----

BOOST_AUTO_TEST_CASE(zipfian_zeta_is_the_sum_in_ycsb_order) {
  BOOST_TEST(ZipfianGenerator::zeta(2, 0.99) == 1.0 + 1.0 / std::pow(2.0, 0.99));
  double sum = 0;
  for (int i = 0; i < 1000; ++i) sum += 1 / std::pow(i + 1, 0.99);
  BOOST_TEST(ZipfianGenerator::zeta(1000, 0.99) == sum);
  // Incremental: the same additions in the same order, so equal bits.
  BOOST_TEST(ZipfianGenerator::zeta(600, 1000, 0.99, ZipfianGenerator::zeta(600, 0.99)) == sum);
}

BOOST_AUTO_TEST_CASE(zipfian_top_items_follow_the_zipf_law_and_grays_closed_form) {
  constexpr int64_t kItems = 1000;
  constexpr double kTheta = 0.99;
  ZipfianGenerator gen(0, kItems - 1, kTheta);
  const double zetan = ZipfianGenerator::zeta(kItems, kTheta);
  BOOST_TEST(gen.zetan() == zetan);

  Rng rng(4);
  std::vector<int> counts(kItems + 1);
  for (int i = 0; i < kDraws; ++i) {
    const int64_t v = gen.next(rng);
    BOOST_REQUIRE(v >= 0);
    BOOST_REQUIRE(v <= kItems);
    ++counts[v];
  }
  // Items 0 and 1 come from the thresholds: exactly Zipf's 1 / (i+1)^theta / zetan.
  for (int64_t i = 0; i < 2; ++i) {
    const double expected = 1 / (std::pow(i + 1, kTheta) * zetan);
    BOOST_TEST(std::abs(counts[i] / double(kDraws) - expected) < tolerance(expected), "item " << i);
  }
  // Items from 2 on follow Gray's approximation, which is up to 17% off Zipf
  // for item 2 and converges by item 13.
  for (int64_t i = 2; i < 20; ++i) {
    const double expected = gray_probability(i, kItems, kTheta);
    BOOST_TEST(std::abs(counts[i] / double(kDraws) - expected) < tolerance(expected), "item " << i);
    const double zipf = 1 / (std::pow(i + 1, kTheta) * zetan);
    BOOST_TEST(std::abs(expected / zipf - 1) < 0.18, "item " << i);
  }
  // Popularity falls with the item number.
  BOOST_TEST(counts[0] == *std::max_element(counts.begin(), counts.end()));
  for (int64_t i = 1; i < 10; ++i) BOOST_TEST(counts[i] < counts[i - 1], "item " << i);
  // The tail is the rest: about zetan's share of the last items.
  const int tail = std::accumulate(counts.begin() + 500, counts.end(), 0);
  double tail_expected = 0;
  for (int64_t i = 500; i <= kItems; ++i) tail_expected += gray_probability(i, kItems, kTheta);
  BOOST_TEST(std::abs(tail / double(kDraws) - tail_expected) < tolerance(tail_expected));
}

BOOST_AUTO_TEST_CASE(zipfian_with_a_min_shifts_every_item) {
  ZipfianGenerator shifted(100, 1099);
  ZipfianGenerator plain(0, 999);
  Rng a(5), b(5);
  for (int i = 0; i < 10'000; ++i) BOOST_REQUIRE(shifted.next(a) == plain.next(b) + 100);
}

BOOST_AUTO_TEST_CASE(zipfian_grows_zeta_incrementally_when_the_item_count_grows) {
  ZipfianGenerator gen(0, 999);
  Rng rng(6);
  std::vector<int> counts(2001);
  for (int i = 0; i < kDraws; ++i) {
    const int64_t v = gen.next(rng, 2000);
    BOOST_REQUIRE(v >= 0);
    BOOST_REQUIRE(v <= 2000);
    ++counts[v];
  }
  BOOST_TEST(gen.count_for_zeta() == 2000);
  BOOST_TEST(gen.zetan() == ZipfianGenerator::zeta(2000, 0.99));
  // YCSB's eta still divides by the constructor's 1000 items, so the closed
  // form starts at item 4, not 2: items 2 and 3 are never drawn after the
  // count doubled (with eta over 2000 items they would get 4.7% and 3.3%).
  BOOST_TEST(counts[2] == 0);
  BOOST_TEST(counts[3] == 0);
  const double p0 = 1 / ZipfianGenerator::zeta(2000, 0.99);
  BOOST_TEST(std::abs(counts[0] / double(kDraws) - p0) < tolerance(p0));
  for (int64_t i : {4, 5, 10}) {
    const double expected = gray_probability(i, 2000, 0.99, 1000);
    BOOST_TEST(std::abs(counts[i] / double(kDraws) - expected) < tolerance(expected), "item " << i);
  }
  const int tail = std::accumulate(counts.begin() + 1000, counts.end(), 0);
  double tail_expected = 0;
  for (int64_t i = 1000; i <= 2000; ++i) tail_expected += gray_probability(i, 2000, 0.99, 1000);
  BOOST_TEST(std::abs(tail / double(kDraws) - tail_expected) < tolerance(tail_expected));

  // A smaller count keeps the larger zeta (YCSB never shrinks it).
  for (int i = 0; i < 1000; ++i) BOOST_REQUIRE(gen.next(rng, 1500) <= 1500);
  BOOST_TEST(gen.count_for_zeta() == 2000);
  // The constructor's own count is unchanged.
  BOOST_TEST(gen.items() == 1000);
}

BOOST_AUTO_TEST_CASE(zipfian_grown_from_several_threads_ends_at_the_largest_count) {
  ZipfianGenerator gen(0, 99);
  std::vector<std::thread> threads;
  std::atomic<bool> out_of_range{false};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&gen, &out_of_range, t] {
      Rng rng(100 + t);
      for (int64_t count = 100 + t; count < 20'000; count += 4) {
        const int64_t v = gen.next(rng, count);
        if (v < 0 || v > count) out_of_range = true;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  BOOST_TEST(!out_of_range);
  BOOST_TEST(gen.count_for_zeta() == 19'999);
  BOOST_TEST(gen.zetan() == ZipfianGenerator::zeta(19'999, 0.99));
}

// ---- Scrambled Zipfian ----

BOOST_AUTO_TEST_CASE(scrambled_zipfian_is_the_hashed_draw_of_ycsbs_fixed_zipfian) {
  ScrambledZipfianGenerator scrambled(1000, 1999);
  ZipfianGenerator inner(0, ScrambledZipfianGenerator::kItemCount, 0.99, ScrambledZipfianGenerator::kZetan);
  Rng a(7), b(7);
  for (int i = 0; i < 10'000; ++i) {
    BOOST_REQUIRE(scrambled.next(a) == 1000 + fnv_hash64(inner.next(b)) % 1000);
  }
  ScrambledZipfianGenerator java_style(0, 999, 0.99, java_fnv_hash64);
  Rng c(8), d(8);
  for (int i = 0; i < 10'000; ++i) BOOST_REQUIRE(java_style.next(c) == java_fnv_hash64(inner.next(d)) % 1000);
}

BOOST_AUTO_TEST_CASE(scrambled_zipfian_stays_in_range_and_scatters_its_hot_items) {
  constexpr int64_t kMin = 5000, kCount = 1000;
  ScrambledZipfianGenerator gen(kMin, kMin + kCount - 1);
  BOOST_TEST(gen.mean() == kMin + (kCount - 1) / 2.0);
  Rng rng(9);
  std::vector<int> counts(kCount);
  for (int i = 0; i < kDraws; ++i) {
    const int64_t v = gen.next(rng);
    BOOST_REQUIRE(v >= kMin);
    BOOST_REQUIRE(v < kMin + kCount);
    ++counts[v - kMin];
  }
  // The Zipfian's item 0 lands on hash(0) % count, with its own probability
  // 1 / ZETAN plus its share of the (about uniform) rest.
  const int64_t hottest = fnv_hash64(0) % kCount;
  BOOST_TEST(counts[hottest] == *std::max_element(counts.begin(), counts.end()));
  const double p0 = 1 / ScrambledZipfianGenerator::kZetan;
  BOOST_TEST(counts[hottest] / double(kDraws) > p0 - tolerance(p0));
  BOOST_TEST(counts[hottest] / double(kDraws) < p0 + 0.01);
  // The ten hottest slots are the hashes of items 0..9, spread over the
  // range rather than packed at its start.
  std::vector<int64_t> order(kCount);
  std::iota(order.begin(), order.end(), 0);
  std::partial_sort(order.begin(), order.begin() + 5, order.end(),
                    [&](int64_t x, int64_t y) { return counts[x] > counts[y]; });
  for (int64_t item = 0; item < 5; ++item) BOOST_TEST(order[item] == fnv_hash64(item) % kCount, "item " << item);
  std::vector<int64_t> hot;
  for (int64_t item = 0; item < 10; ++item) hot.push_back(fnv_hash64(item) % kCount);
  BOOST_TEST(*std::max_element(hot.begin(), hot.end()) - *std::min_element(hot.begin(), hot.end()) > kCount / 2);
  // And the cold slots are still visited.
  BOOST_TEST(std::count(counts.begin(), counts.end(), 0) == 0);
}

// ---- Skewed latest ----

BOOST_AUTO_TEST_CASE(skewed_latest_concentrates_at_the_frontier_and_never_passes_it) {
  AcknowledgedCounterGenerator inserts(1000);  // recordcount 1000: ids 1000.. are new
  for (int64_t id = 0; id < 1000; ++id) BOOST_REQUIRE(inserts.acknowledge(inserts.next()));
  BOOST_TEST(inserts.last_value() == 1999);
  // Built while the frontier is 1999: a Zipfian over 1999 items.
  SkewedLatestGenerator gen(inserts);
  Rng rng(10);
  std::map<int64_t, int> counts;
  for (int i = 0; i < kDraws; ++i) {
    const int64_t v = gen.next(rng);
    BOOST_REQUIRE(v >= 0);
    BOOST_REQUIRE(v <= 1999);
    ++counts[1999 - v];
  }
  const double zetan = ZipfianGenerator::zeta(1999, 0.99);
  const double p0 = 1 / zetan, p1 = 1 / (std::pow(2, 0.99) * zetan);
  BOOST_TEST(std::abs(counts[0] / double(kDraws) - p0) < tolerance(p0));
  BOOST_TEST(std::abs(counts[1] / double(kDraws) - p1) < tolerance(p1));
  BOOST_TEST(std::abs(counts[5] / double(kDraws) - gray_probability(5, 1999, 0.99)) <
             tolerance(gray_probability(5, 1999, 0.99)));
}

BOOST_AUTO_TEST_CASE(skewed_latest_follows_a_moving_frontier_from_another_thread) {
  AcknowledgedCounterGenerator inserts(100);
  for (int i = 0; i < 100; ++i) inserts.acknowledge(inserts.next());
  SkewedLatestGenerator gen(inserts);
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 50'000; ++i) inserts.acknowledge(inserts.next());
    done = true;
  });
  Rng rng(11);
  bool passed = false;
  int at_frontier = 0, draws = 0;
  while (!done || draws < 1000) {
    // The frontier read before the draw is at most the one the draw used,
    // the one read after at least: a busy machine moves it in between.
    const int64_t before = inserts.last_value();
    const int64_t v = gen.next(rng);
    const int64_t frontier = inserts.last_value();  // read after: can only be larger
    passed |= v > frontier;
    at_frontier += v >= before - 10;
    ++draws;
  }
  writer.join();
  BOOST_TEST(!passed);
  BOOST_TEST(inserts.last_value() == 50'199);
  BOOST_TEST(at_frontier > draws / 10);
}

// ---- Hotspot ----

BOOST_AUTO_TEST_CASE(hotspot_sends_the_hot_operation_fraction_into_the_hot_set) {
  HotspotGenerator gen(1000, 10'999, 0.2, 0.8);
  BOOST_TEST(gen.hot_interval() == 2000);
  BOOST_TEST(gen.cold_interval() == 8000);
  Rng rng(12);
  int hot = 0;
  double hot_sum = 0, cold_sum = 0;
  for (int i = 0; i < kDraws; ++i) {
    const int64_t v = gen.next(rng);
    BOOST_REQUIRE(v >= 1000);
    BOOST_REQUIRE(v <= 10'999);
    if (v < 3000) {
      ++hot;
      hot_sum += v;
    } else {
      cold_sum += v;
    }
  }
  BOOST_TEST(std::abs(hot / double(kDraws) - 0.8) < tolerance(0.8));
  // Uniform inside each set: means at the sets' midpoints.
  BOOST_TEST(std::abs(hot_sum / hot - 1999.5) < 5 * std::sqrt(2000.0 * 2000 / 12 / hot));
  BOOST_TEST(std::abs(cold_sum / (kDraws - hot) - 6999.5) < 5 * std::sqrt(8000.0 * 8000 / 12 / (kDraws - hot)));
  const double mean = 0.8 * (1000 + 1000.0) + 0.2 * (1000 + 2000 + 4000.0);
  BOOST_TEST(gen.mean() == mean);
}

BOOST_AUTO_TEST_CASE(hotspot_corrects_bad_arguments_as_ycsb_does) {
  HotspotGenerator swapped(99, 0, 1.5, -0.1);  // fractions out of range become 0
  BOOST_TEST(swapped.lower_bound() == 0);
  BOOST_TEST(swapped.upper_bound() == 99);
  BOOST_TEST(swapped.hot_interval() == 0);
  BOOST_TEST(swapped.hot_opn_fraction() == 0);
  // An empty hot set sends every draw to the cold one (YCSB divides by 0).
  HotspotGenerator no_hot(0, 99, 0.001, 0.9);
  BOOST_TEST(no_hot.hot_interval() == 0);
  Rng rng(13);
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = no_hot.next(rng);
    BOOST_REQUIRE(v >= 0);
    BOOST_REQUIRE(v <= 99);
  }
  HotspotGenerator all_hot(0, 99, 1.0, 0.1);
  BOOST_TEST(all_hot.cold_interval() == 0);
  for (int i = 0; i < 1000; ++i) BOOST_REQUIRE(all_hot.next(rng) <= 99);
}

// ---- Exponential ----

BOOST_AUTO_TEST_CASE(exponential_puts_the_percentile_of_draws_below_the_range) {
  // go-ycsb's defaults over 10000 records: range = 10000 * 0.8571428571.
  const double range = 10'000 * ExponentialGenerator::kDefaultFrac;
  ExponentialGenerator gen(ExponentialGenerator::kDefaultPercentile, range);
  BOOST_TEST(gen.gamma() == -std::log(1 - 0.95) / range);
  Rng rng(14);
  int below_range = 0, below_half = 0;
  double sum = 0;
  for (int i = 0; i < kDraws; ++i) {
    const int64_t v = gen.next(rng);
    BOOST_REQUIRE(v >= 0);
    below_range += v < range;
    below_half += v < range / 2;
    sum += v;
  }
  BOOST_TEST(std::abs(below_range / double(kDraws) - 0.95) < tolerance(0.95));
  // P(X < range/2) = 1 - sqrt(1 - 0.95).
  const double half = 1 - std::sqrt(0.05);
  BOOST_TEST(std::abs(below_half / double(kDraws) - half) < tolerance(half));
  // Truncation takes about 0.5 off the mean 1/gamma; sd of the mean is mean/sqrt(n).
  BOOST_TEST(std::abs(sum / kDraws - (gen.mean() - 0.5)) < 5 * gen.mean() / std::sqrt(kDraws));
}

BOOST_AUTO_TEST_CASE(exponential_next_truncates_the_java_double) {
  ExponentialGenerator gen(90, 100);
  Rng a(15), b(15);
  for (int i = 0; i < 10'000; ++i) {
    const double x = gen.next_double(a);
    BOOST_REQUIRE(gen.next(b) == static_cast<int64_t>(x));
  }
  BOOST_TEST(detail::java_long(std::numeric_limits<double>::infinity()) == std::numeric_limits<int64_t>::max());
  BOOST_TEST(detail::java_long(std::nan("")) == 0);
  BOOST_TEST(detail::java_long(-2.7) == -2);
}

// ---- Discrete ----

BOOST_AUTO_TEST_CASE(discrete_generator_picks_by_weight_in_ycsbs_order) {
  enum class Op { kRead, kUpdate, kScan };
  DiscreteGenerator<Op> gen({{0.5, Op::kRead}, {0.0, Op::kScan}, {1.5, Op::kUpdate}});
  Rng rng(17);
  std::map<Op, int> counts;
  for (int i = 0; i < kDraws; ++i) ++counts[gen.next(rng)];
  BOOST_TEST(counts[Op::kScan] == 0);
  BOOST_TEST(std::abs(counts[Op::kRead] / double(kDraws) - 0.25) < tolerance(0.25));
  BOOST_TEST(std::abs(counts[Op::kUpdate] / double(kDraws) - 0.75) < tolerance(0.75));
  // YCSB's walk: u < 0.25 is read, anything else update.
  Rng a(18), b(18);
  for (int i = 0; i < 10'000; ++i) {
    const double u = b.next_double();
    BOOST_REQUIRE((gen.next(a) == Op::kRead) == (u < 0.25));
  }
}

BOOST_AUTO_TEST_CASE(discrete_generator_never_picks_a_zero_weight_choice) {
  // Not even when rounding walks u past every choice (YCSB throws there):
  // the fallback is the last choice with a weight.
  DiscreteGenerator<int> gen({{0.1, 1}, {0.2, 2}, {0.0, 3}});
  Rng rng(19);
  for (int i = 0; i < 10'000; ++i) {
    const int v = gen.next(rng);
    BOOST_REQUIRE((v == 1 || v == 2));
  }
}

// ---- Determinism ----

BOOST_AUTO_TEST_CASE(every_generator_repeats_its_sequence_for_a_seed) {
  auto sequence = [](NumberGenerator& gen, uint64_t seed) {
    Rng rng(seed);
    std::vector<int64_t> values;
    for (int i = 0; i < 1000; ++i) values.push_back(gen.next(rng));
    return values;
  };
  UniformGenerator uniform(0, 1'000'000);
  ZipfianGenerator zipfian(0, 1'000'000);
  ScrambledZipfianGenerator scrambled(0, 1'000'000);
  HotspotGenerator hotspot(0, 1'000'000, 0.2, 0.8);
  ExponentialGenerator exponential(95, 1'000'000);
  for (NumberGenerator* gen : std::initializer_list<NumberGenerator*>{&uniform, &zipfian, &scrambled, &hotspot,
                                                                      &exponential}) {
    const auto first = sequence(*gen, 99);
    BOOST_TEST(first == sequence(*gen, 99));
    BOOST_TEST(first != sequence(*gen, 100));
  }
}

BOOST_AUTO_TEST_SUITE_END()  // generators_test
