// The raw client against the mock cluster: every operation, across regions,
// through region errors, with both transports.
#include <boost/test/unit_test.hpp>

#include <functional>
#include <map>
#include <future>
#include <thread>

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/co_spawn.hpp>
#include <asio/post.hpp>
#include <asio/this_coro.hpp>
#include <fmt/format.h>

#include "support/client_fixture.h"
#include "support/silent_server.h"
#include "util/fnv_hash.h"
#include "util/join.h"

// A suite of the one test executable; meson runs it as "raw_client".
BOOST_AUTO_TEST_SUITE(raw_client_test)

using namespace tikvbench;
using namespace tikvbench::test;

namespace {

std::string key(int i) { return fmt::format("key{:05}", i); }

std::vector<tikv::KvPair> pairs(int from, int to, size_t value_size = 8) {
  std::vector<tikv::KvPair> out;
  for (int i = from; i < to; ++i) out.push_back({key(i), fmt::format("{:0>{}}", i, value_size)});
  return out;
}

void split_at(mock::MockCluster& cluster, std::initializer_list<int> at) {
  for (int i : at) BOOST_REQUIRE(cluster.split_at(key(i)).empty());
}

// Runs `op` on loop 0 with a cancellation slot; once `ready()` holds,
// emits a terminal cancellation there and returns what `op` came to.
template <class T>
T cancelled_when(ClientFixture& f, asio::awaitable<T> op, const std::function<bool()>& ready) {
  asio::cancellation_signal signal;
  std::promise<T> done;
  auto result = done.get_future();
  const auto executor = f.client->loops().executor(0);
  asio::co_spawn(executor,
                 [](asio::awaitable<T> op) -> asio::awaitable<T> {
                   co_await asio::this_coro::throw_if_cancelled(false);
                   co_return co_await std::move(op);
                 }(std::move(op)),
                 asio::bind_cancellation_slot(signal.slot(), [&done](std::exception_ptr error, T value) {
                   if (error) done.set_exception(error);
                   else done.set_value(std::move(value));
                 }));
  while (!ready()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::promise<void> emitted;
  asio::post(executor, [&] {
    signal.emit(asio::cancellation_type::terminal);
    emitted.set_value();
  });
  emitted.get_future().wait();
  return result.get();
}

StatusCode code_of(const Status& status) { return status.code(); }
template <class T>
StatusCode code_of(const Result<T>& result) {
  return result.ok() ? StatusCode::kOk : result.status().code();
}

std::vector<std::string> keys_of(const std::vector<tikv::KvPair>& found) {
  std::vector<std::string> keys;
  for (const auto& pair : found) keys.push_back(pair.key);
  return keys;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(raw_client, ClientFixture)

BOOST_AUTO_TEST_CASE(put_get_and_delete_a_key) {
  BOOST_TEST(run(raw().put("k", "v")).ok());
  auto value = run(raw().get("k"));
  BOOST_REQUIRE(value.ok());
  BOOST_REQUIRE(value->has_value());
  BOOST_TEST(**value == "v");
  BOOST_TEST(run(raw().del("k")).ok());
  BOOST_TEST(!run(raw().get("k"))->has_value());
}

BOOST_AUTO_TEST_CASE(batch_operations_split_keys_by_region) {
  split_at(cluster, {100, 200, 300});
  BOOST_REQUIRE(run(raw().batch_put(pairs(0, 400))).ok());
  std::vector<std::string> wanted;
  for (int i = 50; i < 350; i += 7) wanted.push_back(key(i));
  wanted.push_back("missing");
  auto found = run(raw().batch_get(wanted));
  BOOST_REQUIRE(found.ok());
  BOOST_TEST(found->size() == wanted.size() - 1);
  for (const auto& pair : *found) BOOST_TEST(pair.value == fmt::format("{:0>8}", std::stoi(pair.key.substr(3))));

  BOOST_REQUIRE(run(raw().batch_delete({key(99), key(100), key(250)})).ok());
  auto after = run(raw().batch_get({key(98), key(99), key(100), key(250)}));
  BOOST_TEST(keys_of(*after) == std::vector<std::string>({key(98)}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(batch_put_splits_a_region_group_into_16_kib_pieces) {
  const uint64_t before = cluster.requests_served();
  BOOST_REQUIRE(run(raw().batch_put(pairs(0, 64, 1024))).ok());  // 64 KiB and more into one region
  BOOST_TEST(cluster.requests_served() - before >= 5u);
  BOOST_TEST(run(raw().batch_get({key(0), key(63)}))->size() == 2u);
}

BOOST_AUTO_TEST_CASE(scan_crosses_regions_forward_and_reverse) {
  split_at(cluster, {10, 20, 30});
  BOOST_REQUIRE(run(raw().batch_put(pairs(0, 40))).ok());
  auto forward = run(raw().scan(key(5), key(35), 100));
  BOOST_REQUIRE(forward.ok());
  BOOST_TEST(forward->size() == 30u);
  BOOST_TEST(forward->front().key == key(5));
  BOOST_TEST(forward->back().key == key(34));
  auto limited = run(raw().scan(key(5), "", 12));
  BOOST_TEST(limited->size() == 12u);
  BOOST_TEST(limited->back().key == key(16));

  auto reverse = run(raw().scan(key(35), key(5), 100, false, true));
  BOOST_REQUIRE(reverse.ok());
  BOOST_TEST(reverse->size() == 30u);
  BOOST_TEST(reverse->front().key == key(34));
  BOOST_TEST(reverse->back().key == key(5));
  auto from_end = run(raw().scan(key(99), "", 15, /*key_only=*/true, true));
  BOOST_REQUIRE(from_end.ok());
  BOOST_TEST(from_end->size() == 15u);
  BOOST_TEST(from_end->front().key == key(39));
  BOOST_TEST(from_end->front().value.empty());
  // API v1 has no key above all others: an empty upper bound is refused at
  // once, not retried (TiKV reads it as the smallest key).
  const uint64_t retries_before = client->stats().total_retries();
  auto unbounded = run(raw().scan("", "", 15, false, true));
  BOOST_TEST(static_cast<int>(unbounded.status().code()) == static_cast<int>(StatusCode::kInvalidArgument));
  BOOST_TEST(client->stats().total_retries() == retries_before);
}

BOOST_AUTO_TEST_CASE(delete_range_crosses_regions) {
  split_at(cluster, {10, 20});
  BOOST_REQUIRE(run(raw().batch_put(pairs(0, 30))).ok());
  BOOST_REQUIRE(run(raw().delete_range(key(5), key(25))).ok());
  auto left = run(raw().scan("", "", 100));
  BOOST_TEST(left->size() == 10u);
  BOOST_TEST(left->at(4).key == key(4));
  BOOST_TEST(left->at(5).key == key(25));
}

BOOST_AUTO_TEST_CASE(a_split_behind_the_cache_is_followed_via_epoch_not_match) {
  BOOST_REQUIRE(run(raw().put(key(1), "a")).ok());  // caches the single region
  split_at(cluster, {50});
  BOOST_REQUIRE(run(raw().put(key(70), "b")).ok());
  BOOST_TEST(client->stats().retries(tikv::RetryReason::kEpochNotMatch) >= 1u);
  BOOST_TEST(**run(raw().get(key(70))) == "b");
  BOOST_TEST(client->stats().total_retries() < 10u);
}

BOOST_AUTO_TEST_CASE(a_moved_leader_is_followed_via_not_leader) {
  BOOST_REQUIRE(run(raw().put(key(1), "a")).ok());
  const uint64_t region = cluster.regions().info_for_key(key(1)).meta.id();
  BOOST_REQUIRE(cluster.transfer_leader(region, 3).empty());
  BOOST_REQUIRE(run(raw().put(key(1), "b")).ok());
  BOOST_TEST(client->stats().retries(tikv::RetryReason::kNotLeader) == 1u);
  BOOST_TEST(client->cache().lookup(key(1))->leader_peer().store_id() == 3u);
}

BOOST_AUTO_TEST_CASE(a_stopped_leader_store_fails_over_to_the_new_leader) {
  BOOST_REQUIRE(run(raw().put(key(1), "a")).ok());
  const uint64_t leader = cluster.regions().info_for_key(key(1)).leader.store_id();
  BOOST_REQUIRE(cluster.stop_store(leader).empty());
  BOOST_REQUIRE(run(raw().put(key(1), "b")).ok());
  BOOST_TEST(**run(raw().get(key(1))) == "b");
  BOOST_TEST(client->stats().retries(tikv::RetryReason::kSendFailed) >= 1u);
  BOOST_REQUIRE(cluster.start_store(leader).empty());
}

BOOST_AUTO_TEST_CASE(server_is_busy_backs_off_and_succeeds) {
  cluster.faults().set_busy_fraction(0.3);
  std::vector<asio::awaitable<void>> tasks;
  std::vector<Status> results(20);
  auto put = [this](int i, Status& out) -> asio::awaitable<void> { out = co_await raw().put(key(i), "v"); };
  for (int i = 0; i < 20; ++i) tasks.push_back(put(i, results[static_cast<size_t>(i)]));
  run(join_all(std::move(tasks)));
  for (const auto& status : results) BOOST_TEST(status.ok(), status.to_string());
  BOOST_TEST(client->stats().retries(tikv::RetryReason::kServerIsBusy) >= 1u);
}

BOOST_AUTO_TEST_CASE(a_server_error_fails_without_retry) {
  // A V2 request reaches a V1 store: TiKV's ApiVersionNotMatched comes back.
  auto options = client_options_for(cluster);
  options.api_version = kvrpcpb::V2;
  auto v2 = tikv::ClusterClient::connect(options);
  BOOST_REQUIRE(v2.ok());
  auto status = (*v2)->run((*v2)->raw().put("k", "v"));
  BOOST_TEST(static_cast<int>(status.code()) == static_cast<int>(StatusCode::kServerError));
  BOOST_TEST(status.message().find("ApiVersionNotMatched") != std::string::npos);
  BOOST_TEST((*v2)->stats().errors(StatusCode::kServerError) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

// Cancelling an operation ends it at once with kCancelled, whatever it
// waits on. Without the cancellation each would wait much longer: a lost
// reply for the 10 s request timeout and then retry; a busy store for
// seconds of backoff, again and again.
BOOST_AUTO_TEST_CASE(cancelling_an_operation_completes_it_at_once_as_cancelled) {
  ClientFixture f;
  BOOST_REQUIRE(f.run(f.raw().batch_put(pairs(0, 20))).ok());
  split_at(f.cluster, {10});
  BOOST_REQUIRE(f.run(f.raw().scan("", "", 100))->size() == 20u);  // routes cached for both regions

  // A request whose reply never comes (the fast path's pending call).
  auto served = f.cluster.requests_served();
  f.cluster.faults().lose_replies(1);
  const auto lost = cancelled_when(f, f.raw().get(key(3)), [&] { return f.cluster.requests_served() > served; });
  BOOST_TEST((code_of(lost) == StatusCode::kCancelled));

  // Requests of two regions at once, both replies lost (join_all passes the
  // cancellation on to each).
  served = f.cluster.requests_served();
  f.cluster.faults().lose_replies(2);
  const auto both = cancelled_when(f, f.raw().batch_get({key(3), key(15)}),
                                   [&] { return f.cluster.requests_served() >= served + 2; });
  BOOST_TEST((code_of(both) == StatusCode::kCancelled));
  f.cluster.faults().lose_replies(0);

  // A backoff sleep: every request is answered ServerIsBusy.
  f.cluster.faults().set_busy_fraction(1.0);
  const auto busy = cancelled_when(f, f.raw().put(key(4), "v"), [&] {
    return f.raw().stats().backing_off(rpc::BackoffKind::kServerBusy) > 0;
  });
  BOOST_TEST((code_of(busy) == StatusCode::kCancelled));
  f.cluster.faults().set_busy_fraction(0);
  BOOST_TEST(f.raw().stats().errors(StatusCode::kCancelled) == 3u);

  // The client goes on serving.
  BOOST_TEST(**f.run(f.raw().get(key(15))) == fmt::format("{:0>8}", 15));
}

BOOST_AUTO_TEST_CASE(the_unary_transport_serves_the_same_operations) {
  auto options = small_cluster_options();
  ClientFixture unary(options, tikv::TransportKind::kUnary);
  BOOST_REQUIRE(unary.cluster.split_at(key(10)).empty());
  BOOST_REQUIRE(unary.run(unary.raw().batch_put(pairs(0, 20))).ok());
  BOOST_TEST(unary.run(unary.raw().scan("", "", 100))->size() == 20u);
  BOOST_TEST(**unary.run(unary.raw().get(key(15))) == fmt::format("{:0>8}", 15));
  BOOST_REQUIRE(unary.run(unary.raw().delete_range(key(0), key(20))).ok());
  BOOST_TEST(unary.run(unary.raw().scan("", "", 100))->empty());
}

BOOST_AUTO_TEST_CASE(a_large_cluster_is_warmed_in_pages_and_served_across_all_its_stores) {
  // 3,000 regions over 8 stores, one go-ycsb record each: the warm-up
  // takes three pages of ScanRegions, and a batch touches every region.
  auto options = small_cluster_options();
  options.stores = 8;
  options.regions = 3000;
  options.region_records = 3000;
  ClientFixture f(options);
  BOOST_TEST(f.cluster.regions().size() == 3000u);
  BOOST_TEST(f.client->cache().size() == 3000u);
  std::vector<tikv::KvPair> records;
  std::vector<std::string> keys;
  for (int64_t n = 0; n < 3000; ++n) {
    records.push_back({"usertable:user" + std::to_string(fnv_hash64(n)), std::to_string(n)});
    keys.push_back(records.back().key);
  }
  BOOST_REQUIRE(f.run(f.raw().batch_put(records)).ok());
  const auto regions_with_data = [&] {
    size_t count = 0;
    for (const auto& info : f.cluster.regions().all()) {
      const auto region = f.cluster.regions().by_id(info.meta.id());
      std::lock_guard lock(region->mu);
      count += region->data.size() == 1 ? 1 : 0;
    }
    return count;
  };
  BOOST_TEST(regions_with_data() == 3000u);  // one record in each
  const auto found = f.run(f.raw().batch_get(keys));
  BOOST_REQUIRE(found.ok());
  BOOST_TEST(found->size() == 3000u);
  std::map<uint64_t, int> leaders;
  for (const auto& info : f.cluster.regions().all()) ++leaders[info.leader.store_id()];
  BOOST_TEST(leaders.size() == 8u);
  for (const auto& [store, led] : leaders) BOOST_TEST(led == 375);
}

BOOST_AUTO_TEST_CASE(a_pd_that_never_answers_fails_connect_once_the_timeout_passes) {
  SilentServer silent;
  tikv::ClientOptions options;
  options.pd = {silent.address()};
  options.threads = 1;
  options.connect_timeout = std::chrono::milliseconds(1500);
  const auto start = std::chrono::steady_clock::now();
  auto connected = tikv::ClusterClient::connect(options);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_TEST(!connected.ok());
  BOOST_TEST(static_cast<int>(connected.status().code()) == static_cast<int>(StatusCode::kUnavailable));
  BOOST_TEST(connected.status().message().find(options.pd[0]) != std::string::npos);
  BOOST_TEST(elapsed >= options.connect_timeout);
}

BOOST_AUTO_TEST_SUITE_END()  // raw_client_test
