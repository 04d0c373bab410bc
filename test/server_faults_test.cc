// The client against a misbehaving server: replies that never come, replies
// under request ids it never sent, messages that do not decode, streams
// ended early (truncated) or reset under it. Every operation still
// completes; each fault is counted as what it is.
#include <boost/test/unit_test.hpp>

#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "support/client_fixture.h"
#include "util/join.h"

// A suite of the one test executable; meson runs it as "server_faults".
BOOST_AUTO_TEST_SUITE(server_faults_test)

using namespace tikvbench;
using namespace std::chrono_literals;

namespace {

struct Fixture {
  Fixture() : cluster(test::small_cluster_options()) {
    auto options = test::client_options_for(cluster);
    // A lost reply costs this much. It is far above any honest reply's
    // latency even under TSan with 500 in flight, so that only lost
    // replies time out.
    options.transport_options.timeout = 3s;
    auto connected = tikv::ClusterClient::connect(options);
    BOOST_REQUIRE(connected.ok());
    client = std::move(connected).value();
    const auto status = client->run(client->raw().put("k", "v"));
    BOOST_REQUIRE(status.ok());
  }

  // Runs `n` gets of "k" side by side; returns how many read "v".
  int gets(int n) {
    return client->run([](tikv::RawClient& raw, int n) -> asio::awaitable<int> {
      int ok = 0;
      std::vector<asio::awaitable<void>> tasks;
      for (int i = 0; i < n; ++i) {
        tasks.push_back([](tikv::RawClient& raw, int& ok) -> asio::awaitable<void> {
          auto value = co_await raw.get("k");
          if (value.ok() && value->has_value() && **value == "v") ++ok;
        }(raw, ok));
      }
      co_await join_all(std::move(tasks));
      co_return ok;
    }(client->raw(), n));
  }

  uint64_t retries(tikv::RetryReason reason) const { return client->stats().retries(reason); }
  uint64_t faults(const std::string& kind) const {
    const auto counts = client->stream_faults();
    const auto it = counts.find(kind);
    return it == counts.end() ? 0 : it->second;
  }

  mock::MockCluster cluster;
  std::unique_ptr<tikv::ClusterClient> client;
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(replies_that_never_come_time_out_and_are_retried, Fixture) {
  cluster.faults().lose_replies(20);
  BOOST_TEST(gets(500) == 500);
  BOOST_TEST(retries(tikv::RetryReason::kTimeout) == 20u);
}

BOOST_FIXTURE_TEST_CASE(replies_under_unknown_ids_are_dropped_and_counted, Fixture) {
  cluster.faults().misaddress_replies(15);
  BOOST_TEST(gets(500) == 500);
  BOOST_TEST(faults("unmatched_reply") == 15u);
  // The requests those replies belonged to timed out and were retried.
  BOOST_TEST(retries(tikv::RetryReason::kTimeout) == 15u);
}

BOOST_FIXTURE_TEST_CASE(reset_streams_fail_only_their_calls_which_are_retried, Fixture) {
  BOOST_TEST(gets(100) == 100);  // streams open
  cluster.faults().reset_streams();
  BOOST_TEST(gets(500) == 500);
  BOOST_TEST(retries(tikv::RetryReason::kSendFailed) > 0u);
  BOOST_TEST(faults("stream_reset") > 0u);
  BOOST_TEST(gets(100) == 100);  // new streams carry on
}

BOOST_FIXTURE_TEST_CASE(undecodable_messages_fail_their_stream_whose_calls_are_retried, Fixture) {
  BOOST_TEST(gets(100) == 100);  // streams open
  BOOST_TEST(faults("undecodable_reply") == 0u);
  // One message at a time (a second one on a stream the client already gave
  // up on would never be read): by turns garbage and a message cut short.
  for (uint64_t i = 1; i <= 4; ++i) {
    cluster.faults().garble_replies(1);
    BOOST_TEST(gets(500) == 500);
    BOOST_TEST(faults("undecodable_reply") == i);
  }
  BOOST_TEST(retries(tikv::RetryReason::kSendFailed) > 0u);
  BOOST_TEST(faults("stream_reset") == 0u);  // the client ended those streams itself
  BOOST_TEST(gets(100) == 100);
}

BOOST_FIXTURE_TEST_CASE(streams_ended_early_with_ok_fail_their_calls_which_are_retried, Fixture) {
  BOOST_TEST(gets(100) == 100);  // streams open
  // Slow replies, so that the streams owe some when they end.
  cluster.faults().set_latency(mock::parse_latency("20ms"));
  cluster.faults().truncate_streams();
  BOOST_TEST(gets(500) == 500);
  cluster.faults().set_latency(mock::parse_latency("0"));
  BOOST_TEST(faults("stream_truncated") > 0u);
  BOOST_TEST(retries(tikv::RetryReason::kSendFailed) > 0u);
  BOOST_TEST(faults("stream_reset") == 0u);
  BOOST_TEST(gets(100) == 100);
}

BOOST_AUTO_TEST_SUITE_END()  // server_faults_test
