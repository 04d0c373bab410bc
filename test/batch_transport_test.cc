// The batch transport's batching, seen through the real client against the
// mock cluster (one region, so one store): requests for a store are
// collected per store, as client-go's batchConn does, and each message goes
// to the store's next connection.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <future>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <fmt/format.h>

#include "rpc/backoff.h"
#include "rpc/channel_factory.h"
#include "support/client_fixture.h"
#include "tikv/batch_stream.h"
#include "tikv/store_connection.h"

// A suite of the one test executable; meson runs it as "batch_transport".
BOOST_AUTO_TEST_SUITE(batch_transport_test)

using namespace tikvbench;
using namespace tikvbench::test;

namespace {

// Starts `count` gets on `executor`, from the handler running there: a
// coroutine runs inline until its request is queued. Each answer counts
// down `left`; the last one sets `all_answered`.
void start_gets(const asio::any_io_executor& executor, tikv::RawClient& raw, int count, std::atomic<int>& left,
                std::atomic<int>& failed, std::promise<void>& all_answered) {
  for (int i = 0; i < count; ++i) {
    asio::co_spawn(
        executor,
        [&, i]() -> asio::awaitable<void> {
          auto got = co_await raw.get(fmt::format("key{:04}", i));
          if (!got.ok()) failed.fetch_add(1);
          if (left.fetch_sub(1) == 1) all_answered.set_value();
        },
        asio::detached);
  }
}

// Starts `count` gets from one handler on loop 0, so all of them are queued
// before the store's flush runs, and waits until every one has its answer.
// Returns how many failed.
int get_all_in_one_round(ClientFixture& fixture, int count) {
  std::atomic<int> left{count};
  std::atomic<int> failed{0};
  std::promise<void> all_answered;
  auto executor = fixture.client->loops().executor(0);
  asio::post(executor, [&] { start_gets(executor, fixture.raw(), count, left, failed, all_answered); });
  all_answered.get_future().wait();
  return failed.load();
}

// What the streams carried since `before`.
tikv::ClusterClient::BatchTotals since(const ClientFixture& fixture, const tikv::ClusterClient::BatchTotals& before) {
  const auto now = fixture.client->batch_totals();
  return {now.streams - before.streams, now.messages - before.messages, now.requests - before.requests};
}

// A client whose route to the store is known: one get has looked up the
// store's address (the first requests wait for it, and would go out in
// later rounds).
struct WarmClient : ClientFixture {
  WarmClient() { BOOST_REQUIRE(get_all_in_one_round(*this, 1) == 0); }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(requests_started_together_go_out_as_one_message, WarmClient) {
  const auto before = client->batch_totals();
  BOOST_TEST(get_all_in_one_round(*this, 100) == 0);
  const auto sent = since(*this, before);
  BOOST_TEST(sent.messages == 1u);
  BOOST_TEST(sent.requests == 100u);
}

BOOST_FIXTURE_TEST_CASE(a_round_over_max_batch_splits_into_messages_on_successive_connections, WarmClient) {
  // 4 connections per store, up to 128 requests per message. The warm-up
  // used the first connection.
  const auto before = client->batch_totals();
  BOOST_TEST(before.streams == 1u);
  BOOST_TEST(get_all_in_one_round(*this, 300) == 0);
  auto sent = since(*this, before);
  BOOST_TEST(sent.messages == 3u);  // 128 + 128 + 44
  BOOST_TEST(sent.requests == 300u);
  BOOST_TEST(sent.streams == 3u);   // on the second, third and fourth connections
  // The next message goes to the first connection again: no new stream.
  BOOST_TEST(get_all_in_one_round(*this, 10) == 0);
  sent = since(*this, before);
  BOOST_TEST(sent.messages == 4u);
  BOOST_TEST(sent.streams == 3u);
}

BOOST_FIXTURE_TEST_CASE(each_loops_requests_go_out_in_messages_of_their_own, WarmClient) {
  // 50 gets queued on loop 0, then, while loop 0 is still in that handler
  // (so its flush has not run), 50 on loop 1. One queue for both loops would
  // send one message of 100; a message per loop means each reply resumes
  // coroutines on one loop only.
  BOOST_REQUIRE(client->loops().size() == 2u);
  const auto before = client->batch_totals();
  std::atomic<int> left{100};
  std::atomic<int> failed{0};
  std::promise<void> all_answered;
  auto loop0 = client->loops().executor(0);
  auto loop1 = client->loops().executor(1);
  asio::post(loop0, [&] {
    start_gets(loop0, raw(), 50, left, failed, all_answered);
    std::promise<void> queued_on_loop1;
    asio::post(loop1, [&] {
      start_gets(loop1, raw(), 50, left, failed, all_answered);
      queued_on_loop1.set_value();
    });
    queued_on_loop1.get_future().wait();
  });
  all_answered.get_future().wait();
  BOOST_TEST(failed.load() == 0);
  const auto sent = since(*this, before);
  BOOST_TEST(sent.messages == 2u);
  BOOST_TEST(sent.requests == 100u);
}

BOOST_FIXTURE_TEST_CASE(lone_requests_go_out_at_once_each_on_the_next_connection, WarmClient) {
  const auto before = client->batch_totals();
  for (int round = 0; round < 5; ++round) BOOST_TEST(get_all_in_one_round(*this, 1) == 0);
  const auto sent = since(*this, before);
  BOOST_TEST(sent.messages == 5u);
  BOOST_TEST(sent.requests == 5u);
  BOOST_TEST(client->batch_totals().streams == 4u);
}

// A stream says gRPC has released it only once gRPC's reference is gone:
// when its owner let go first, the stream is destroyed by then, and with it
// its ClientContext's reference to the channel. So the transport, which
// waits for the release of every stream, drops each channel's last
// reference itself and never leaves it to a gRPC thread (where gRPC 1.51
// frees the callback queue that thread is still reading).
BOOST_AUTO_TEST_CASE(a_stream_its_owner_let_go_holds_no_channel_once_grpc_releases_it) {
  mock::MockCluster cluster(small_cluster_options());
  const rpc::ChannelFactory factory;
  const auto channel = factory.make(cluster.store_address(cluster.store_ids().front()));
  grpc::GenericStub stub(channel);
  const auto held_by_test_and_stub = channel.use_count();
  for (int i = 0; i < 200; ++i) {
    auto stream = tikv::BatchStream::open(stub, 8);
    const auto released = stream->released();
    stream->close();
    stream.reset();
    // Spins rather than sleeps in wait(), to look as soon as the latch
    // opens: a release signalled before the stream is gone is then caught.
    // A release that never comes fails the test at the deadline.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!released->try_wait()) {
      if (std::chrono::steady_clock::now() >= deadline) BOOST_FAIL("stream " << i << " was never released");
    }
    BOOST_TEST_REQUIRE(channel.use_count() == held_by_test_and_stub, "stream " << i << " outlived its release");
  }
}

// A broken stream is replaced after tikvRPC's backoff (rpc/backoff.h),
// without jitter: 100 ms doubling per failure in a row, up to 2 s.
BOOST_AUTO_TEST_CASE(reconnects_back_off_as_tikv_rpc) {
  const auto& config = rpc::backoff_config(rpc::BackoffKind::kTikvRpc);
  BOOST_TEST(tikv::StoreConnection::reconnect_delay(0).count() == config.base_ms);
  BOOST_TEST(tikv::StoreConnection::reconnect_delay(1).count() == 2 * config.base_ms);
  BOOST_TEST(tikv::StoreConnection::reconnect_delay(4).count() == 16 * config.base_ms);
  BOOST_TEST(tikv::StoreConnection::reconnect_delay(5).count() == config.cap_ms);
  BOOST_TEST(tikv::StoreConnection::reconnect_delay(1000).count() == config.cap_ms);
}

BOOST_AUTO_TEST_SUITE_END()  // batch_transport_test
