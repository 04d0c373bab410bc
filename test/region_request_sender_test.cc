// RegionRequestSender's retry table (docs/client.md, "Region errors and
// retries"), row by row: for every region error kind of errorpb and for
// failed sends, the verdict, what happens to the region cache, the backoffs
// slept and the retry counted, each row naming the client-go function whose
// behaviour it follows. Against a fake PD and a transport that answers as
// scripted.
#include <boost/test/unit_test.hpp>

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

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

// What a row expects the region cache to look like after the answer.
enum class CacheAfter {
  kUnchanged,      // region 1 still cached, led from store 1
  kLeaderMoved,    // region 1 led from store 2
  kRegionDropped,  // region 1 gone, region 2 stays
  kRegionAndStoreDropped,  // likewise, and store 1's address gone
  kInstalled,      // region 1 replaced by the answer's current regions (3 and 1)
};

struct Row {
  std::string name;
  std::function<void(errorpb::Error&)> build;  // the region error; none: a send that failed with `failure`
  Verdict verdict;
  bool fails = false;  // kDone: the request fails with the region error
  CacheAfter cache = CacheAfter::kUnchanged;
  std::map<BackoffKind, int> backoffs;  // attempts per kind; nothing else slept
  std::optional<RetryReason> counted;   // the retry counted (none when it fails)
  std::string follows;                  // client-go's function (internal/locate)
  StatusCode failure = StatusCode::kUnavailable;
};

std::vector<Row> retry_table() {
  using K = BackoffKind;
  using R = RetryReason;
  return {
      {"UndeterminedResult", [](auto& e) { e.mutable_undetermined_result()->set_message("maybe"); },
       Verdict::kRelocate, false, CacheAfter::kUnchanged, {{K::kRegionMiss, 1}}, R::kUndeterminedResult,
       "onRegionError (false), rawkv sendReq backs off BoRegionMiss"},
      {"NotLeader with a leader", [](auto& e) {
         e.mutable_not_leader()->set_region_id(1);
         *e.mutable_not_leader()->mutable_leader() = peer_on(region(1, "", "m", 5), 2);
       },
       Verdict::kRelocate, false, CacheAfter::kLeaderMoved, {}, R::kNotLeader, "replicaSelector.onNotLeader"},
      {"NotLeader without a leader", [](auto& e) { e.mutable_not_leader()->set_region_id(1); }, Verdict::kRetry, false,
       CacheAfter::kUnchanged, {{K::kRegionScheduling, 1}}, R::kNotLeader, "replicaSelector.onNotLeader"},
      {"DiskFull", [](auto& e) { e.mutable_disk_full()->add_store_id(1); }, Verdict::kRetry, false,
       CacheAfter::kUnchanged, {{K::kDiskFull, 1}}, R::kDiskFull, "onRegionError: BoTiKVDiskFull"},
      {"RecoveryInProgress", [](auto& e) { e.mutable_recoveryinprogress()->set_region_id(1); }, Verdict::kRelocate,
       false, CacheAfter::kRegionDropped, {{K::kRecoveryInProgress, 1}, {K::kRegionMiss, 1}}, R::kRecoveryInProgress,
       "onRegionError: BoRegionRecoveryInProgress"},
      {"IsWitness", [](auto& e) { e.mutable_is_witness()->set_region_id(1); }, Verdict::kRelocate, false,
       CacheAfter::kRegionDropped, {{K::kIsWitness, 1}, {K::kRegionMiss, 1}}, R::kIsWitness,
       "onRegionError: BoIsWitness"},
      {"FlashbackInProgress", [](auto& e) { e.mutable_flashbackinprogress()->set_region_id(1); }, Verdict::kDone, true,
       CacheAfter::kUnchanged, {}, std::nullopt, "replicaSelector.onFlashbackInProgress (no replica read: fail)"},
      {"FlashbackNotPrepared", [](auto& e) { e.mutable_flashbacknotprepared()->set_region_id(1); }, Verdict::kDone,
       true, CacheAfter::kUnchanged, {}, std::nullopt, "onRegionError: FlashbackNotPrepared fails"},
      {"RaftEntryTooLarge", [](auto& e) { e.mutable_raft_entry_too_large()->set_entry_size(1 << 30); },
       Verdict::kDone, true, CacheAfter::kUnchanged, {}, std::nullopt, "onRegionError: RaftEntryTooLarge fails"},
      {"invalid max_ts update", [](auto& e) { e.set_message("invalid max_ts update: 5 > 4"); }, Verdict::kDone, true,
       CacheAfter::kUnchanged, {}, std::nullopt, "onRegionError: isInvalidMaxTsUpdate fails"},
      {"RegionNotFound", [](auto& e) { e.mutable_region_not_found()->set_region_id(1); }, Verdict::kRelocate, false,
       CacheAfter::kRegionDropped, {{K::kRegionMiss, 1}}, R::kRegionNotFound, "replicaSelector.onRegionNotFound"},
      {"KeyNotInRegion", [](auto& e) { e.mutable_key_not_in_region()->set_key("c"); }, Verdict::kRelocate, false,
       CacheAfter::kRegionDropped, {{K::kRegionMiss, 1}}, R::kKeyNotInRegion, "onRegionError: KeyNotInRegion"},
      {"MismatchPeerId", [](auto& e) { e.mutable_mismatch_peer_id()->set_request_peer_id(11); }, Verdict::kRelocate,
       false, CacheAfter::kRegionDropped, {{K::kRegionMiss, 1}}, R::kMismatchPeerId,
       "onRegionError: MismatchPeerId invalidates"},
      {"EpochNotMatch without current regions", [](auto& e) { e.mutable_epoch_not_match(); }, Verdict::kRelocate,
       false, CacheAfter::kRegionDropped, {{K::kRegionMiss, 1}}, R::kEpochNotMatch,
       "RegionCache.OnRegionEpochNotMatch"},
      {"EpochNotMatch with current regions", [](auto& e) {
         *e.mutable_epoch_not_match()->add_current_regions() = region(3, "", "f", 6);
         *e.mutable_epoch_not_match()->add_current_regions() = region(1, "f", "m", 6);
       },
       Verdict::kRelocate, false, CacheAfter::kInstalled, {{K::kRegionMiss, 1}}, R::kEpochNotMatch,
       "RegionCache.OnRegionEpochNotMatch"},
      {"EpochNotMatch from a store behind us", [](auto& e) {
         *e.mutable_epoch_not_match()->add_current_regions() = region(1, "", "m", 4);  // older than ours (5)
       },
       Verdict::kRetry, false, CacheAfter::kUnchanged, {{K::kRegionMiss, 1}}, R::kEpochNotMatch,
       "RegionCache.OnRegionEpochNotMatch (stale epoch: back off, retry)"},
      {"BucketVersionNotMatch", [](auto& e) { e.mutable_bucket_version_not_match()->set_version(2); },
       Verdict::kRelocate, false, CacheAfter::kUnchanged, {{K::kRegionMiss, 1}}, R::kBucketVersionNotMatch,
       "RegionCache.OnBucketVersionNotMatch"},
      {"ServerIsBusy", [](auto& e) { e.mutable_server_is_busy()->set_reason("test"); }, Verdict::kRetry, false,
       CacheAfter::kUnchanged, {{K::kServerBusy, 1}}, R::kServerIsBusy, "replicaSelector.onServerIsBusy"},
      {"StaleCommand", [](auto& e) { e.mutable_stale_command(); }, Verdict::kRetry, false, CacheAfter::kUnchanged, {},
       R::kStaleCommand, "onRegionError: StaleCommand retries without backoff"},
      {"DataIsNotReady", [](auto& e) { e.mutable_data_is_not_ready()->set_region_id(1); }, Verdict::kRetry, false,
       CacheAfter::kUnchanged, {}, R::kDataIsNotReady, "replicaSelector.onDataIsNotReady"},
      {"StoreNotMatch", [](auto& e) {
         e.mutable_store_not_match()->set_request_store_id(1);
         e.mutable_store_not_match()->set_actual_store_id(7);
       },
       Verdict::kRelocate, false, CacheAfter::kRegionAndStoreDropped, {{K::kRegionMiss, 1}}, R::kStoreNotMatch,
       "onRegionError: StoreNotMatch (markStoreNeedCheck, invalidate)"},
      {"MaxTimestampNotSynced", [](auto& e) { e.mutable_max_timestamp_not_synced(); }, Verdict::kRetry, false,
       CacheAfter::kUnchanged, {{K::kMaxTsNotSynced, 1}}, R::kMaxTimestampNotSynced,
       "onRegionError: BoMaxTsNotSynced"},
      {"RegionNotInitialized", [](auto& e) { e.mutable_region_not_initialized()->set_region_id(1); }, Verdict::kRetry,
       false, CacheAfter::kUnchanged, {{K::kRegionNotInitialized, 1}}, R::kRegionNotInitialized,
       "onRegionError: BoMaxRegionNotInitialized"},
      {"ReadIndexNotReady", [](auto& e) { e.mutable_read_index_not_ready()->set_region_id(1); }, Verdict::kRetry,
       false, CacheAfter::kUnchanged, {{K::kRegionScheduling, 1}}, R::kReadIndexNotReady,
       "onRegionError: ReadIndexNotReady, BoRegionScheduling"},
      {"ProposalInMergingMode", [](auto& e) { e.mutable_proposal_in_merging_mode()->set_region_id(1); },
       Verdict::kRetry, false, CacheAfter::kUnchanged, {{K::kRegionScheduling, 1}}, R::kProposalInMergingMode,
       "onRegionError: ProposalInMergingMode, BoRegionScheduling"},
      {"a region error of no known kind", [](auto& e) { e.set_message("something new"); }, Verdict::kRetry, false,
       CacheAfter::kUnchanged, {}, R::kOtherRegionError, "onRegionError: unknown error, try the replica again"},
      {"a failed send", nullptr, Verdict::kRelocate, false, CacheAfter::kLeaderMoved, {{K::kTikvRpc, 1}},
       R::kSendFailed, "RegionRequestSender.onSendFail (next peer: see docs/client.md)"},
      {"a timeout", nullptr, Verdict::kRelocate, false, CacheAfter::kLeaderMoved, {{K::kTikvRpc, 1}}, R::kTimeout,
       "RegionRequestSender.onSendFail (next peer: see docs/client.md)", StatusCode::kTimeout},
      {"a cancelled send", nullptr, Verdict::kDone, false, CacheAfter::kUnchanged, {}, std::nullopt,
       "RegionRequestSender.onSendFail (our context cancelled: fail)", StatusCode::kCancelled},
  };
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_answer_without_errors_is_done) {
  Fixture f;
  Response found;
  found.mutable_rawget()->set_value("v");
  f.transport.answers.push_back(found);
  const auto outcome = f.send_once();
  BOOST_TEST((outcome.verdict == Verdict::kDone));
  BOOST_TEST(outcome.response.ok());
  BOOST_TEST(f.transport.sent_to == std::vector<uint64_t>{1}, boost::test_tools::per_element());
}

// Every row, each against a fresh cache and budget.
BOOST_AUTO_TEST_CASE(each_answer_gets_its_rows_verdict_cache_change_backoff_and_count) {
  for (const auto& row : retry_table()) {
    BOOST_TEST_CONTEXT(row.name << " (client-go: " << row.follows << ")") {
      Fixture f;
      if (row.build) {
        errorpb::Error error;
        row.build(error);
        f.transport.answers.push_back(region_error(error));
      } else {
        f.transport.answers.push_back(Status(row.failure, "the send failed"));
      }
      const auto outcome = f.send_once();
      BOOST_TEST((outcome.verdict == row.verdict));
      // A retry carries its cause; a failure is the request's answer.
      BOOST_TEST(!outcome.response.ok());
      if (row.fails) BOOST_TEST((outcome.response.status().code() == StatusCode::kRegionError));
      switch (row.cache) {
        case CacheAfter::kUnchanged:
        case CacheAfter::kLeaderMoved: {
          const auto cached = f.cache.lookup("c");
          BOOST_REQUIRE(cached);
          BOOST_TEST(cached->id == 1u);
          BOOST_TEST(cached->epoch.version() == 5u);
          BOOST_TEST(cached->leader_peer().store_id() == (row.cache == CacheAfter::kLeaderMoved ? 2u : 1u));
          break;
        }
        case CacheAfter::kRegionDropped:
        case CacheAfter::kRegionAndStoreDropped:
          BOOST_TEST(f.cache.lookup("c") == nullptr);
          BOOST_TEST(f.cache.lookup("x") != nullptr);  // the other region stays
          BOOST_TEST(f.cache.cached_store_address(1).has_value() == (row.cache == CacheAfter::kRegionDropped));
          break;
        case CacheAfter::kInstalled:
          BOOST_TEST(f.cache.lookup("c")->id == 3u);
          BOOST_TEST(f.cache.lookup("g")->id == 1u);
          BOOST_TEST(f.cache.lookup("g")->epoch.version() == 6u);
          break;
      }
      for (size_t kind = 0; kind < kBackoffKinds; ++kind) {
        const auto it = row.backoffs.find(static_cast<BackoffKind>(kind));
        BOOST_TEST(f.backoff.attempts(static_cast<BackoffKind>(kind)) == (it == row.backoffs.end() ? 0 : it->second),
                   backoff_config(static_cast<BackoffKind>(kind)).name);
      }
      if (row.backoffs.empty()) BOOST_TEST(f.backoff.total_sleep().count() == 0);
      BOOST_TEST(f.stats.total_retries() == (row.counted ? 1u : 0u));
      if (row.counted) BOOST_TEST(f.stats.retries(*row.counted) == 1u);
    }
  }
}

// StaleCommand, DataIsNotReady and unknown errors retry at once, as
// client-go's replica selector does, ten times per request; the eleventh
// drops the region and backs off regionMiss.
BOOST_AUTO_TEST_CASE(immediate_retries_end_in_a_reload_after_ten) {
  Fixture f;
  errorpb::Error stale;
  stale.mutable_stale_command();
  for (int i = 0; i < Backoffer::kMaxImmediateRetries; ++i) {
    f.transport.answers.push_back(region_error(stale));
    BOOST_TEST((f.send_once().verdict == Verdict::kRetry));
  }
  BOOST_TEST(f.backoff.total_sleep().count() == 0);
  f.transport.answers.push_back(region_error(stale));
  BOOST_TEST((f.send_once().verdict == Verdict::kRelocate));
  BOOST_TEST(f.cache.lookup("c") == nullptr);
  BOOST_TEST(f.backoff.attempts(BackoffKind::kRegionMiss) == 1);
  BOOST_TEST(f.stats.retries(RetryReason::kStaleCommand) == 11u);
}

BOOST_AUTO_TEST_CASE(a_spent_budget_ends_the_request_naming_the_last_error) {
  Fixture f;
  Backoffer spent(std::chrono::milliseconds(0), 1);
  errorpb::Error gone;
  gone.mutable_region_not_found()->set_region_id(1);
  gone.set_message("region 1 not found");
  f.transport.answers.push_back(region_error(gone));
  Request request;
  request.mutable_rawget()->set_key("c");
  const auto outcome = run_coroutine(f.sender.send(f.cache.lookup("c"), std::move(request), spent));
  BOOST_TEST((outcome.verdict == Verdict::kDone));
  BOOST_REQUIRE(!outcome.response.ok());
  BOOST_TEST((outcome.response.status().code() == StatusCode::kBackoffExhausted));
  BOOST_TEST(outcome.response.status().message().find("region 1 not found") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()  // region_request_sender_test
