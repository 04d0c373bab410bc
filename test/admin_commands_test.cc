// The mock cluster's on-command actions, as typed on mock-cluster's stdin.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "mock/admin_commands.h"
#include "mock/rate_cap.h"
#include "support/cluster_fixture.h"

// A suite of the one test executable; meson runs it as "admin_commands".
BOOST_AUTO_TEST_SUITE(admin_commands_test)

using namespace tikvbench;
using namespace tikvbench::test;

namespace {

bool ends_ok(const std::string& reply) { return reply.size() >= 3 && reply.compare(reply.size() - 3, 3, "ok\n") == 0; }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(admin_commands, ClusterFixture)

BOOST_AUTO_TEST_CASE(split_and_transfer_leader_change_what_pd_reports) {
  mock::AdminCommands commands(cluster);
  BOOST_TEST(ends_ok(commands.execute("split-key m")));
  BOOST_TEST(client.get_region("z").region().start_key() == "m");
  const uint64_t right = client.get_region("z").region().id();
  BOOST_TEST(ends_ok(commands.execute(fmt::format("transfer-leader {} 3", right))));
  BOOST_TEST(client.leader_store_for("z") == 3u);
  const std::string listing = commands.execute("regions");
  BOOST_TEST(ends_ok(listing));
  BOOST_TEST(listing.find("[m, +inf)") != std::string::npos);
  BOOST_TEST(listing.find("leader store 3") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(stores_stop_and_start_on_command) {
  mock::AdminCommands commands(cluster);
  BOOST_TEST(ends_ok(commands.execute("stop-store 2")));
  BOOST_TEST(!cluster.store_running(2));
  BOOST_TEST(commands.execute("stores").find("store 2 " + cluster.store_address(2) + " down") != std::string::npos);
  BOOST_TEST(commands.execute("stop-store 2").starts_with("error: "));
  BOOST_TEST(ends_ok(commands.execute("start-store 2")));
  BOOST_TEST(cluster.store_running(2));
}

BOOST_AUTO_TEST_CASE(busy_and_latency_change_the_fault_injector) {
  mock::AdminCommands commands(cluster);
  BOOST_TEST(ends_ok(commands.execute("busy 100%")));
  BOOST_TEST(client.get("k").region_error().has_server_is_busy());
  BOOST_TEST(ends_ok(commands.execute("busy 0")));
  BOOST_TEST(ends_ok(commands.execute("latency uniform:1ms-2ms")));
  BOOST_TEST(cluster.faults().latency().text == "uniform:1ms-2ms");
}

BOOST_AUTO_TEST_CASE(latency_for_one_store_slows_only_that_store) {
  mock::AdminCommands commands(cluster);
  BOOST_TEST(ends_ok(commands.execute("latency 1ms")));
  BOOST_TEST(ends_ok(commands.execute("latency 300ms 2")));
  BOOST_TEST(cluster.faults().latency(2).text == "300ms");
  BOOST_TEST(cluster.faults().latency(1).text == "1ms");
  BOOST_TEST((cluster.faults().draw_latency(2) == std::chrono::milliseconds(300)));
  BOOST_TEST((cluster.faults().draw_latency(3) == std::chrono::milliseconds(1)));
  // A request the slowed store leads waits at least that long.
  BOOST_REQUIRE(ends_ok(commands.execute("split-key m")));
  const uint64_t right = client.get_region("z").region().id();
  BOOST_REQUIRE(ends_ok(commands.execute(fmt::format("transfer-leader {} 2", right))));
  const auto start = std::chrono::steady_clock::now();
  BOOST_TEST(!client.get("z").has_region_error());
  BOOST_TEST((std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(300)));
  // "0" for one store: none there, while the others keep theirs.
  BOOST_TEST(ends_ok(commands.execute("latency 0 2")));
  BOOST_TEST((cluster.faults().draw_latency(2) == std::chrono::nanoseconds(0)));
  BOOST_TEST((cluster.faults().draw_latency(1) == std::chrono::milliseconds(1)));
  // Every store's latency again forgets the store's own.
  BOOST_TEST(ends_ok(commands.execute("latency 0")));
  BOOST_TEST(ends_ok(commands.execute("latency 300ms 3")));
  BOOST_TEST(ends_ok(commands.execute("latency 2ms")));
  BOOST_TEST(cluster.faults().latency(3).text == "2ms");
}

BOOST_AUTO_TEST_CASE(a_rate_cap_queues_requests_one_turn_apart_after_the_burst) {
  // A clock of our own: 100 requests at one instant against 1,000 ops/s.
  mock::RateCap cap;
  const auto t0 = std::chrono::steady_clock::time_point(std::chrono::seconds(100));
  BOOST_TEST(cap.admit(t0).count() == 0);  // no cap: no wait
  cap.set(1000);
  BOOST_TEST(cap.ops_per_sec() == 1000.0);
  std::vector<std::chrono::nanoseconds> waits;
  for (int i = 0; i < 100; ++i) waits.push_back(cap.admit(t0));
  // The burst (10 ms: 11 turns, the first at once) passes; then each
  // reply waits one more turn (1 ms) than the one before.
  for (int i = 0; i <= 10; ++i) BOOST_TEST(waits[i].count() == 0, i);
  for (int i = 11; i < 100; ++i) BOOST_TEST((waits[i] == std::chrono::milliseconds(i - 10)), i);
  // Over any span, replies go out at no more than the cap plus the burst.
  for (int ms = 0; ms < 100; ++ms) {
    const auto by = std::chrono::milliseconds(ms);
    const auto replied = std::count_if(waits.begin(), waits.end(), [&](auto wait) { return wait <= by; });
    BOOST_TEST(replied <= 11 + ms, ms);
  }
  // Arrivals at the cap's pace, however long, never wait.
  cap.set(1000);
  for (int i = 0; i < 1000; ++i) BOOST_TEST(cap.admit(t0 + std::chrono::milliseconds(i)).count() == 0);
  cap.set(0);
  BOOST_TEST(cap.admit(t0).count() == 0);
  BOOST_TEST(cap.ops_per_sec() == 0.0);
}

BOOST_AUTO_TEST_CASE(rate_cap_command_holds_the_served_rate_to_the_cap) {
  mock::AdminCommands commands(cluster);
  BOOST_TEST(ends_ok(commands.execute("rate-cap 200")));
  BOOST_TEST(cluster.faults().rate_cap().ops_per_sec() == 200.0);
  // 60 requests, one after another, at 200 ops/s (a turn is 5 ms, the
  // burst 10 ms): the last reply comes no sooner than 59 turns less the
  // burst after the first request was sent.
  constexpr int kRequests = 60;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRequests; ++i) BOOST_TEST(!client.get(fmt::format("k{}", i)).has_region_error());
  const auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST((took >= std::chrono::milliseconds(5) * (kRequests - 1) - mock::RateCap::kBurst),
             std::chrono::duration<double>(took).count() << "s");
  BOOST_TEST(ends_ok(commands.execute("rate-cap off")));
  BOOST_TEST(cluster.faults().rate_cap().ops_per_sec() == 0.0);
}

BOOST_AUTO_TEST_CASE(bad_commands_get_one_error_line) {
  mock::AdminCommands commands(cluster);
  for (const char* line : {"fly", "split", "split x", "stop-store 9", "busy 2", "latency soon", "split-key", "latency 1ms 9",
                           "latency 1ms x", "latency 1ms 1 2", "rate-cap", "rate-cap x", "rate-cap -5", "rate-cap 0",
                           "rate-cap 10 20"}) {
    const auto reply = commands.execute(line);
    BOOST_TEST(reply.starts_with("error: "), line << " -> " << reply);
    BOOST_TEST(std::count(reply.begin(), reply.end(), '\n') == 1, line);
  }
  BOOST_TEST(commands.execute("").empty());
  BOOST_TEST(commands.execute("# a comment").empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()  // admin_commands_test
