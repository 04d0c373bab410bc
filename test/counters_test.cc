// The YCSB counters: the sequential generator, the shared counter and the
// acknowledged counter (the frontier of inserted records), each handing out
// every number once, in order, also across threads.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <thread>
#include <vector>

#include "workload/acknowledged_counter_generator.h"
#include "workload/counter_generator.h"
#include "workload/rng.h"
#include "workload/sequential_generator.h"

// A suite of the one test executable; meson runs it as "counters".
BOOST_AUTO_TEST_SUITE(counters_test)

using namespace tikvbench::workload;

BOOST_AUTO_TEST_CASE(sequential_walks_its_range_in_order_and_wraps) {
  SequentialGenerator gen(5, 9);
  Rng rng(16);
  std::vector<int64_t> values;
  for (int i = 0; i < 12; ++i) values.push_back(gen.next(rng));
  const std::vector<int64_t> expected = {5, 6, 7, 8, 9, 5, 6, 7, 8, 9, 5, 6};
  BOOST_TEST(values == expected, boost::test_tools::per_element());
  BOOST_TEST(std::isnan(gen.mean()));
}

BOOST_AUTO_TEST_CASE(counter_hands_out_each_number_once_across_threads) {
  CounterGenerator counter(10);
  BOOST_TEST(counter.last_value() == 9);
  std::vector<std::vector<int64_t>> seen(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&counter, &seen, t] {
      Rng rng(t);
      for (int i = 0; i < 10'000; ++i) seen[t].push_back(counter.next(rng));
    });
  }
  for (auto& thread : threads) thread.join();
  std::vector<int64_t> all;
  for (const auto& part : seen) all.insert(all.end(), part.begin(), part.end());
  std::sort(all.begin(), all.end());
  std::vector<int64_t> expected(40'000);
  std::iota(expected.begin(), expected.end(), 10);
  BOOST_TEST(all == expected);
  BOOST_TEST(counter.last_value() == 40'009);
}

BOOST_AUTO_TEST_CASE(acknowledged_counter_frontier_waits_for_the_lowest_unacknowledged_id) {
  AcknowledgedCounterGenerator counter(100);
  BOOST_TEST(counter.last_value() == 99);
  for (int i = 0; i < 5; ++i) BOOST_TEST(counter.next() == 100 + i);
  BOOST_TEST(counter.acknowledge(101));
  BOOST_TEST(counter.acknowledge(103));
  BOOST_TEST(counter.last_value() == 99);  // 100 is still out
  BOOST_TEST(counter.acknowledge(100));
  BOOST_TEST(counter.last_value() == 101);  // 102 is still out
  BOOST_TEST(counter.acknowledge(102));
  BOOST_TEST(counter.last_value() == 103);
  BOOST_TEST(counter.acknowledge(104));
  BOOST_TEST(counter.last_value() == 104);
}

BOOST_AUTO_TEST_CASE(acknowledged_counter_rejects_ids_outside_its_window) {
  AcknowledgedCounterGenerator counter(0);
  constexpr int64_t kWindow = AcknowledgedCounterGenerator::kWindowSize;
  BOOST_TEST(!counter.acknowledge(-1));           // at or below the frontier
  BOOST_TEST(!counter.acknowledge(kWindow));      // as far ahead as the window reaches, plus one
  BOOST_TEST(counter.acknowledge(kWindow - 1));   // the last id the window holds
  BOOST_TEST(!counter.acknowledge(kWindow - 1));  // twice
  BOOST_TEST(counter.last_value() == -1);
  for (int64_t id = 0; id < kWindow - 1; ++id) BOOST_REQUIRE(counter.acknowledge(id));
  BOOST_TEST(counter.last_value() == kWindow - 1);
  BOOST_TEST(!counter.acknowledge(5));
  BOOST_TEST(counter.acknowledge(kWindow));  // the window moved with the frontier
  BOOST_TEST(counter.last_value() == kWindow);
}

BOOST_AUTO_TEST_CASE(acknowledged_counter_catches_up_with_out_of_order_acks_from_several_threads) {
  constexpr int kThreads = 4, kPerThread = 50'000;
  AcknowledgedCounterGenerator counter(1000);
  std::vector<std::atomic<bool>> acked(kThreads * kPerThread);
  std::atomic<int> running{kThreads};
  std::atomic<bool> frontier_passed_unacked{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Rng rng(200 + t);
      std::vector<int64_t> pending;
      for (int i = 0; i < kPerThread; ++i) {
        pending.push_back(counter.next(rng));
        // Acknowledge in bursts, shuffled, so ids finish out of order.
        if (pending.size() == 64 || i == kPerThread - 1) {
          std::shuffle(pending.begin(), pending.end(), rng);
          for (int64_t id : pending) {
            acked[id - 1000] = true;
            if (!counter.acknowledge(id)) frontier_passed_unacked = true;
          }
          pending.clear();
        }
      }
      --running;
    });
  }
  // Meanwhile: every id up to the frontier must have been acknowledged.
  while (running > 0) {
    const int64_t frontier = counter.last_value();
    for (int64_t id = std::max<int64_t>(1000, frontier - 100); id <= frontier; ++id) {
      if (!acked[id - 1000]) frontier_passed_unacked = true;
    }
  }
  for (auto& thread : threads) thread.join();
  BOOST_TEST(!frontier_passed_unacked);
  // YCSB can leave the frontier behind after the last acknowledgement; here
  // it has caught up.
  BOOST_TEST(counter.last_value() == 1000 + kThreads * kPerThread - 1);
}

BOOST_AUTO_TEST_SUITE_END()  // counters_test
