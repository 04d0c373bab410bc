// RegionRequestSender's retry table (docs/client.md, "Region errors and
// retries"), row by row: for each answer a store can give, the verdict, what
// happens to the region cache, the backoff slept and the retry counted.
// Against a fake PD and a transport that answers as scripted.
#include <boost/test/unit_test.hpp>

#include <deque>

#include "support/fake_pd.h"
#include "support/run_coroutine.h"
#include "tikv/region_request_sender.h"

// A suite of the one test executable; meson runs it as "region_request_sender".
BOOST_AUTO_TEST_SUITE(region_request_sender_test)

using namespace tikvbench;
using namespace tikvbench::tikv;
using namespace tikvbench::rpc;
using namespace tikvbench::test;

namespace {

// Answers each send with the next scripted result, and notes the stores.
class ScriptedTransport final : public StoreTransport {
 public:
  std::deque<Result<Response>> answers;
  std::vector<uint64_t> sent_to;

  asio::awaitable<Result<Response>> send(uint64_t store_id, std::string, Request) override {
    sent_to.push_back(store_id);
    auto answer = std::move(answers.front());
    answers.pop_front();
    co_return answer;
  }
};

// A RawGet answer carrying `error` as its region error.
Result<Response> region_error(const errorpb::Error& error) {
  Response response;
  *response.mutable_rawget()->mutable_region_error() = error;
  return response;
}

SenderOptions default_options() {
  SenderOptions options;  // API v1, any cluster id
  return options;
}

struct Fixture {
  Fixture() {
    pd.regions[""] = region(1, "", "m", 5);
    pd.regions["m"] = region(2, "m", "", 5);
    BOOST_REQUIRE(run_coroutine(cache.warm()).ok());
  }

  // Sends a RawGet of "c" (region 1, led from store 1) once.
  SendOutcome send_once() {
    Request request;
    request.mutable_rawget()->set_key("c");
    return run_coroutine(sender.send(cache.lookup("c"), std::move(request), backoff));
  }

  FakePd pd;
  RegionCache cache{pd};
  ScriptedTransport transport;
  ClientStats stats;
  RegionRequestSender sender{cache, transport, stats, default_options()};
  Backoffer backoff{std::chrono::seconds(20), 1};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(retry_table, Fixture)

BOOST_AUTO_TEST_CASE(an_answer_without_errors_is_done) {
  Response found;
  found.mutable_rawget()->set_value("v");
  transport.answers.push_back(found);
  const auto outcome = send_once();
  BOOST_TEST((outcome.verdict == Verdict::kDone));
  BOOST_TEST(outcome.response.ok());
  BOOST_TEST(transport.sent_to == std::vector<uint64_t>{1}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(not_leader_with_a_leader_moves_the_cached_leader_at_once) {
  errorpb::Error error;
  *error.mutable_not_leader()->mutable_leader() = peer_on(pd.regions[""], 2);
  transport.answers.push_back(region_error(error));
  const auto outcome = send_once();
  BOOST_TEST((outcome.verdict == Verdict::kRelocate));
  BOOST_TEST(cache.lookup("c")->leader_peer().store_id() == 2u);
  BOOST_TEST(backoff.total_sleep().count() == 0);
  BOOST_TEST(stats.retries(RetryReason::kNotLeader) == 1u);
}

BOOST_AUTO_TEST_CASE(not_leader_without_a_leader_backs_off_region_scheduling_and_retries) {
  errorpb::Error error;
  error.mutable_not_leader()->set_region_id(1);
  transport.answers.push_back(region_error(error));
  const auto outcome = send_once();
  BOOST_TEST((outcome.verdict == Verdict::kRetry));
  BOOST_TEST(backoff.attempts(BackoffKind::kRegionScheduling) == 1);
  BOOST_TEST(cache.lookup("c")->leader_peer().store_id() == 1u);
  BOOST_TEST(stats.retries(RetryReason::kNotLeader) == 1u);
}

BOOST_AUTO_TEST_CASE(epoch_not_match_installs_the_current_regions) {
  errorpb::Error error;
  *error.mutable_epoch_not_match()->add_current_regions() = region(3, "", "f", 6);
  *error.mutable_epoch_not_match()->add_current_regions() = region(1, "f", "m", 6);
  transport.answers.push_back(region_error(error));
  const auto outcome = send_once();
  BOOST_TEST((outcome.verdict == Verdict::kRelocate));
  BOOST_TEST(cache.lookup("c")->id == 3u);
  BOOST_TEST(cache.lookup("g")->id == 1u);
  BOOST_TEST(backoff.total_sleep().count() == 0);
  BOOST_TEST(stats.retries(RetryReason::kEpochNotMatch) == 1u);
}

BOOST_AUTO_TEST_CASE(epoch_not_match_from_a_store_behind_us_backs_off_region_miss) {
  errorpb::Error error;
  *error.mutable_epoch_not_match()->add_current_regions() = region(1, "", "m", 4);  // older than ours (5)
  transport.answers.push_back(region_error(error));
  const auto outcome = send_once();
  BOOST_TEST((outcome.verdict == Verdict::kRetry));
  BOOST_TEST(backoff.attempts(BackoffKind::kRegionMiss) == 1);
  BOOST_TEST(cache.lookup("c")->epoch.version() == 5u);
}

BOOST_AUTO_TEST_CASE(region_not_found_and_key_not_in_region_drop_the_region) {
  for (const bool not_found : {true, false}) {
    BOOST_REQUIRE(run_coroutine(cache.locate("c")).ok());
    errorpb::Error error;
    if (not_found) error.mutable_region_not_found()->set_region_id(1);
    else error.mutable_key_not_in_region()->set_key("c");
    transport.answers.push_back(region_error(error));
    const auto outcome = send_once();
    BOOST_TEST((outcome.verdict == Verdict::kRelocate));
    BOOST_TEST(cache.lookup("c") == nullptr, (not_found ? "RegionNotFound" : "KeyNotInRegion"));
    BOOST_TEST(cache.lookup("x") != nullptr);  // the other region stays
  }
  BOOST_TEST(stats.retries(RetryReason::kRegionNotFound) == 1u);
  BOOST_TEST(stats.retries(RetryReason::kKeyNotInRegion) == 1u);
  BOOST_TEST(backoff.total_sleep().count() == 0);
}

BOOST_AUTO_TEST_CASE(store_not_match_drops_the_region_and_the_stores_address) {
  errorpb::Error error;
  error.mutable_store_not_match()->set_request_store_id(1);
  error.mutable_store_not_match()->set_actual_store_id(7);
  transport.answers.push_back(region_error(error));
  BOOST_REQUIRE(cache.cached_store_address(1).has_value());
  const auto outcome = send_once();
  BOOST_TEST((outcome.verdict == Verdict::kRelocate));
  BOOST_TEST(cache.lookup("c") == nullptr);
  BOOST_TEST(!cache.cached_store_address(1).has_value());
  BOOST_TEST(stats.retries(RetryReason::kStoreNotMatch) == 1u);
}

BOOST_AUTO_TEST_CASE(server_is_busy_and_stale_command_back_off_and_retry_the_same_region) {
  errorpb::Error busy;
  busy.mutable_server_is_busy()->set_reason("test");
  errorpb::Error stale;
  stale.mutable_stale_command();
  transport.answers.push_back(region_error(busy));
  transport.answers.push_back(region_error(stale));
  BOOST_TEST((send_once().verdict == Verdict::kRetry));
  BOOST_TEST((send_once().verdict == Verdict::kRetry));
  BOOST_TEST(backoff.attempts(BackoffKind::kServerBusy) == 1);
  BOOST_TEST(backoff.attempts(BackoffKind::kStaleCommand) == 1);
  BOOST_TEST(cache.lookup("c")->id == 1u);  // the cache is left alone
  BOOST_TEST(stats.retries(RetryReason::kServerIsBusy) == 1u);
  BOOST_TEST(stats.retries(RetryReason::kStaleCommand) == 1u);
}

BOOST_AUTO_TEST_CASE(another_region_error_drops_the_region_and_backs_off_region_miss) {
  errorpb::Error error;
  error.mutable_raft_entry_too_large()->set_region_id(1);
  transport.answers.push_back(region_error(error));
  const auto outcome = send_once();
  BOOST_TEST((outcome.verdict == Verdict::kRelocate));
  BOOST_TEST(cache.lookup("c") == nullptr);
  BOOST_TEST(backoff.attempts(BackoffKind::kRegionMiss) == 1);
  BOOST_TEST(stats.retries(RetryReason::kOtherRegionError) == 1u);
}

BOOST_AUTO_TEST_CASE(a_failed_send_tries_the_next_peer_after_backing_off_tikv_rpc) {
  transport.answers.push_back(Status(StatusCode::kUnavailable, "connection refused"));
  const auto outcome = send_once();
  BOOST_TEST((outcome.verdict == Verdict::kRelocate));
  BOOST_TEST(cache.lookup("c")->leader_peer().store_id() == 2u);
  BOOST_TEST(backoff.attempts(BackoffKind::kTikvRpc) == 1);
  BOOST_TEST(stats.retries(RetryReason::kSendFailed) == 1u);
}

BOOST_AUTO_TEST_CASE(a_spent_budget_ends_the_request_naming_the_last_error) {
  Backoffer spent(std::chrono::milliseconds(0), 1);
  errorpb::Error error;
  error.mutable_stale_command();
  transport.answers.push_back(region_error(error));
  Request request;
  request.mutable_rawget()->set_key("c");
  const auto outcome = run_coroutine(sender.send(cache.lookup("c"), std::move(request), spent));
  BOOST_TEST((outcome.verdict == Verdict::kDone));
  BOOST_REQUIRE(!outcome.response.ok());
  BOOST_TEST((outcome.response.status().code() == StatusCode::kBackoffExhausted));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()  // region_request_sender_test
