// Chaos in the mock cluster: splits, leader moves and store restarts at
// intervals, with the data intact and every region still served.
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include "support/cluster_fixture.h"

// A suite of the one test executable; meson runs it as "chaos".
BOOST_AUTO_TEST_SUITE(chaos_test)

using namespace tikvbench;
using namespace tikvbench::test;
using namespace std::chrono_literals;

namespace {

// Routes through PD on every attempt, as a client without a cache would,
// and retries region errors and unreachable stores a bounded number of times.
template <class Attempt>
auto with_retries(Attempt&& attempt) {
  for (int tries = 0;; ++tries) {
    try {
      auto response = attempt();
      if (!response.has_region_error() || tries >= 2000) return response;
    } catch (const std::runtime_error&) {
      if (tries >= 2000) throw;
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(data_survives_splits_leader_moves_and_store_restarts) {
  auto options = small_cluster_options();
  options.chaos = mock::parse_chaos("split=20ms,transfer-leader=10ms,restart-store=60ms,downtime=20ms");
  ClusterFixture fixture(options);
  auto& client = fixture.client;

  for (int i = 0; i < 300; ++i) {
    const auto key = fmt::format("key{:04}", i);
    BOOST_REQUIRE(!with_retries([&] { return client.put(key, fmt::format("value{}", i)); }).has_region_error());
  }
  BOOST_REQUIRE_MESSAGE(fixture.cluster.wait_for_chaos(
                            [](const mock::ChaosStats& s) {
                              return s.splits >= 3 && s.leader_transfers >= 3 && s.store_restarts >= 2;
                            },
                            30s),
                        "chaos did not act: splits " << fixture.cluster.chaos_stats().splits << ", transfers "
                                                     << fixture.cluster.chaos_stats().leader_transfers
                                                     << ", restarts " << fixture.cluster.chaos_stats().store_restarts);
  BOOST_TEST(fixture.cluster.regions().size() >= 4u);
  for (int i = 0; i < 300; ++i) {
    const auto key = fmt::format("key{:04}", i);
    const auto response = with_retries([&] { return client.get(key); });
    BOOST_REQUIRE(!response.has_region_error());
    BOOST_TEST(response.value() == fmt::format("value{}", i), key);
  }
}

BOOST_AUTO_TEST_CASE(chaos_busy_answers_about_that_fraction_with_server_is_busy) {
  auto options = small_cluster_options();
  options.chaos = mock::parse_chaos("busy=20%");
  ClusterFixture fixture(options);
  int busy = 0;
  for (int i = 0; i < 500; ++i) busy += fixture.client.get("k").region_error().has_server_is_busy();
  BOOST_TEST(busy > 50);   // about 100 expected
  BOOST_TEST(busy < 160);
}

BOOST_AUTO_TEST_SUITE_END()  // chaos_test
