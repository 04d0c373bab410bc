// 200,000 mixed operations through the real client while the mock cluster
// splits regions every 200 ms, moves leaders every 200 ms and restarts
// stores: every operation completes and every acknowledged write reads back.
// The workers go on past 200,000 until the chaos has restarted a store, so
// a faster client cannot finish before the chaos has happened.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <future>
#include <map>
#include <random>
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/use_future.hpp>
#include <fmt/format.h>

#include "support/client_fixture.h"

// A suite of the one test executable; meson runs it as "client_chaos".
BOOST_AUTO_TEST_SUITE(client_chaos_test)

using namespace tikvbench;
using namespace tikvbench::test;
using namespace std::chrono_literals;

namespace {

constexpr int kWorkers = 200;
constexpr int kOpsPerWorker = 1000;  // 200,000 in all
constexpr int kKeysPerWorker = 100;

std::string key_for(int worker, int slot) { return fmt::format("user{:03}{:04}", slot % 7, worker * kKeysPerWorker + slot); }

struct Outcome {
  std::map<std::string, std::optional<std::string>> expected;  // last acknowledged state of each key
  std::vector<std::string> failures;
  int operations = 0;
};

// One worker: one operation at a time on keys only it writes, so every read
// of its own keys must see its last acknowledged write. It runs
// kOpsPerWorker operations, and more until `chaos_done`.
asio::awaitable<void> worker(tikv::RawClient& raw, int id, const std::atomic<bool>& chaos_done, Outcome& out) {
  std::mt19937 rng(static_cast<unsigned>(id));
  auto fail = [&](std::string what) {
    if (out.failures.size() < 10) out.failures.push_back(std::move(what));
  };
  auto check = [&](const std::string& key, const std::optional<std::string>& got) {
    auto it = out.expected.find(key);
    const std::optional<std::string> want = it == out.expected.end() ? std::nullopt : it->second;
    if (got != want) fail(fmt::format("{}: read {} after acknowledged {}", key, got.value_or("<none>"), want.value_or("<none>")));
  };
  for (int op = 0; op < kOpsPerWorker || !chaos_done.load(std::memory_order_relaxed); ++op, ++out.operations) {
    const int slot = static_cast<int>(rng() % kKeysPerWorker);
    const std::string key = key_for(id, slot);
    const std::string value = fmt::format("w{}-op{}", id, op);
    const unsigned dice = rng() % 100;
    if (dice < 40) {
      auto status = co_await raw.put(key, value);
      if (!status.ok()) fail("put: " + status.to_string());
      else out.expected[key] = value;
    } else if (dice < 70) {
      auto got = co_await raw.get(key);
      if (!got.ok()) fail("get: " + got.status().to_string());
      else check(key, *got);
    } else if (dice < 80) {
      std::vector<tikv::KvPair> pairs;
      for (int i = 0; i < 5; ++i) pairs.push_back({key_for(id, (slot + i * 13) % kKeysPerWorker), value});
      auto status = co_await raw.batch_put(pairs);
      if (!status.ok()) fail("batch_put: " + status.to_string());
      else for (auto& pair : pairs) out.expected[pair.key] = pair.value;
    } else if (dice < 90) {
      std::vector<std::string> keys;
      for (int i = 0; i < 5; ++i) keys.push_back(key_for(id, (slot + i * 17) % kKeysPerWorker));
      auto got = co_await raw.batch_get(keys);
      if (!got.ok()) {
        fail("batch_get: " + got.status().to_string());
        continue;
      }
      std::map<std::string, std::string> found;
      for (auto& pair : *got) found[pair.key] = pair.value;
      for (const auto& k : keys) {
        auto it = found.find(k);
        check(k, it == found.end() ? std::nullopt : std::optional<std::string>(it->second));
      }
    } else if (dice < 95) {
      auto got = co_await raw.scan(key, "", 10, /*key_only=*/dice % 2 == 0, /*reverse=*/dice % 3 == 0);
      if (!got.ok()) fail("scan: " + got.status().to_string());
    } else {
      auto status = co_await raw.del(key);
      if (!status.ok()) fail("delete: " + status.to_string());
      else out.expected[key] = std::nullopt;
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(mixed_operations_survive_splits_leader_moves_and_store_restarts) {
  auto options = small_cluster_options();
  options.chaos = mock::parse_chaos("split=200ms,transfer-leader=200ms,restart-store=2s,downtime=1s");
  options.election_timeout = 300ms;
  ClientFixture fixture(options);
  auto& loops = fixture.client->loops();

  std::vector<Outcome> outcomes(kWorkers);
  std::vector<std::future<void>> done;
  std::atomic<bool> chaos_done{false};
  // Set once the chaos has done all it is asserted to have done below (or
  // after a minute, when the assertions will say what was missing).
  auto chaos_watch = std::async(std::launch::async, [&] {
    fixture.cluster.wait_for_chaos(
        [](const mock::ChaosStats& chaos) {
          return chaos.splits >= 2 && chaos.leader_transfers >= 2 && chaos.store_restarts >= 1;
        },
        60s);
    chaos_done.store(true);
  });
  const auto start = std::chrono::steady_clock::now();
  for (int id = 0; id < kWorkers; ++id) {
    done.push_back(asio::co_spawn(loops.executor(static_cast<size_t>(id) % loops.size()),
                                  worker(fixture.raw(), id, chaos_done, outcomes[static_cast<size_t>(id)]),
                                  asio::use_future));
  }
  chaos_watch.get();
  for (auto& future : done) future.get();
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  int operations = 0;
  std::map<std::string, std::optional<std::string>> expected;
  for (const auto& outcome : outcomes) {
    operations += outcome.operations;
    for (const auto& failure : outcome.failures) BOOST_ERROR(failure);
    expected.insert(outcome.expected.begin(), outcome.expected.end());
  }
  BOOST_TEST(operations >= kWorkers * kOpsPerWorker);

  // Every acknowledged write reads back, after all the chaos.
  std::vector<std::string> keys;
  for (const auto& [key, value] : expected) keys.push_back(key);
  auto found = fixture.run(fixture.raw().batch_get(keys));
  BOOST_REQUIRE_MESSAGE(found.ok(), found.status().to_string());
  std::map<std::string, std::string> stored;
  for (auto& pair : *found) stored[pair.key] = pair.value;
  size_t lost = 0;
  for (const auto& [key, value] : expected) {
    auto it = stored.find(key);
    const std::optional<std::string> got = it == stored.end() ? std::nullopt : std::optional<std::string>(it->second);
    if (got != value) ++lost;
  }
  BOOST_TEST(lost == 0u);

  const auto chaos = fixture.cluster.chaos_stats();
  const auto& stats = fixture.client->stats();
  BOOST_TEST_MESSAGE(fmt::format("{} operations in {:.1f}s; chaos: {} splits, {} leader moves, {} store restarts; "
                                 "{} regions; mean batch {:.1f}",
                                 operations, elapsed, chaos.splits, chaos.leader_transfers, chaos.store_restarts,
                                 fixture.cluster.regions().size(), fixture.client->mean_batch_size()));
  for (const auto& [reason, count] : stats.retries_by_reason()) BOOST_TEST_MESSAGE("retries " << reason << ": " << count);
  BOOST_TEST(stats.errors_by_code().empty());
  BOOST_TEST(chaos.splits >= 2u);
  BOOST_TEST(chaos.leader_transfers >= 2u);
  BOOST_TEST(chaos.store_restarts >= 1u);
  BOOST_TEST(stats.retries(tikv::RetryReason::kNotLeader) + stats.retries(tikv::RetryReason::kEpochNotMatch) > 0u);
}

// A stopped store: the send that cannot reach it marks it unreachable; its
// regions' requests go to other peers, and a follower's NotLeader naming the
// stopped store is not followed back there until the election moves the
// leader. Started again, the store is found serving by a health check.
BOOST_AUTO_TEST_CASE(an_unreachable_store_is_routed_around_and_health_checked_back) {
  auto options = small_cluster_options();
  options.election_timeout = 300ms;
  ClientFixture fixture(options);
  const uint64_t leader_store = fixture.cluster.regions().all().front().leader.store_id();
  BOOST_REQUIRE(fixture.run(fixture.raw().put("before", "1")).ok());
  BOOST_REQUIRE(fixture.cluster.stop_store(leader_store).empty());

  BOOST_TEST(fixture.run(fixture.raw().put("while-down", "2")).ok());
  const auto& liveness = fixture.client->liveness();
  BOOST_TEST(!liveness.reachable(leader_store));
  BOOST_TEST(liveness.recoveries() == 0u);
  // Operations go on around it.
  for (int i = 0; i < 50; ++i) BOOST_REQUIRE(fixture.run(fixture.raw().put(fmt::format("k{}", i), "v")).ok());

  BOOST_REQUIRE(fixture.cluster.start_store(leader_store).empty());
  while (!liveness.reachable(leader_store)) std::this_thread::yield();  // the next health check finds it
  BOOST_TEST(liveness.recoveries() == 1u);
  BOOST_TEST(liveness.checks() >= 2u);  // at least one while it was down, one once it was up
  const auto read = fixture.run(fixture.raw().get("while-down"));
  BOOST_REQUIRE(read.ok());
  BOOST_TEST(read->value_or("") == "2");
}

BOOST_AUTO_TEST_SUITE_END()  // client_chaos_test
