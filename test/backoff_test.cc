// Backoff arithmetic, as client-go's config/retry computes it.
#include <boost/test/unit_test.hpp>

#include <iterator>
#include <string_view>

#include "rpc/backoff.h"

// A suite of the one test executable; meson runs it as "backoff".
BOOST_AUTO_TEST_SUITE(backoff_test)

using namespace tikvbench::rpc;
using std::chrono::milliseconds;

// client-go's config/retry/config.go, kind by kind.
BOOST_AUTO_TEST_CASE(configs_match_client_go) {
  struct Row {
    BackoffKind kind;
    std::string_view name;
    int base_ms, cap_ms;
    Jitter jitter;
  };
  const Row rows[] = {
      {BackoffKind::kTikvRpc, "tikvRPC", 100, 2000, Jitter::kEqual},
      {BackoffKind::kPdRpc, "pdRPC", 500, 3000, Jitter::kEqual},
      {BackoffKind::kRegionMiss, "regionMiss", 2, 500, Jitter::kNone},
      {BackoffKind::kRegionScheduling, "regionScheduling", 2, 500, Jitter::kNone},
      {BackoffKind::kServerBusy, "tikvServerBusy", 2000, 10000, Jitter::kEqual},
      {BackoffKind::kDiskFull, "tikvDiskFull", 500, 5000, Jitter::kNone},
      {BackoffKind::kRecoveryInProgress, "regionRecoveryInProgress", 100, 10000, Jitter::kEqual},
      {BackoffKind::kMaxTsNotSynced, "maxTsNotSynced", 2, 500, Jitter::kNone},
      {BackoffKind::kRegionNotInitialized, "regionNotInitialized", 2, 1000, Jitter::kNone},
      {BackoffKind::kIsWitness, "isWitness", 1000, 10000, Jitter::kEqual},
  };
  BOOST_TEST(std::size(rows) == kBackoffKinds);
  for (const auto& row : rows) {
    const auto& config = backoff_config(row.kind);
    BOOST_TEST(config.name == row.name);
    BOOST_TEST(config.base_ms == row.base_ms, row.name);
    BOOST_TEST(config.cap_ms == row.cap_ms, row.name);
    BOOST_TEST((config.jitter == row.jitter), row.name);
  }
}

BOOST_AUTO_TEST_CASE(immediate_retries_last_ten_per_request) {
  Backoffer backoff(milliseconds(20'000), 1);
  for (int i = 0; i < Backoffer::kMaxImmediateRetries; ++i) BOOST_TEST(backoff.immediate_retry());
  BOOST_TEST(!backoff.immediate_retry());
  BOOST_TEST(backoff.total_sleep().count() == 0);
}

BOOST_AUTO_TEST_CASE(no_jitter_doubles_from_base_to_cap) {
  Backoffer backoff(milliseconds(100'000), 1);
  // regionMiss: 2, 4, 8, ..., 256, 500, 500
  int64_t expected = 2;
  for (int i = 0; i < 12; ++i) {
    const auto sleep = backoff.next(BackoffKind::kRegionMiss);
    BOOST_REQUIRE(sleep);
    BOOST_TEST(sleep->count() == std::min<int64_t>(expected, 500));
    expected *= 2;
  }
  BOOST_TEST(backoff.attempts(BackoffKind::kRegionMiss) == 12);
}

BOOST_AUTO_TEST_CASE(equal_jitter_stays_between_half_and_whole) {
  for (uint64_t seed = 1; seed < 200; ++seed) {
    Backoffer backoff(milliseconds(100'000), seed);
    int64_t value = 100;
    for (int i = 0; i < 6; ++i) {
      const auto sleep = backoff.next(BackoffKind::kTikvRpc)->count();
      const int64_t capped = std::min<int64_t>(value, 2000);
      BOOST_REQUIRE_GE(sleep, capped / 2);
      BOOST_REQUIRE_LT(sleep, capped);
      value *= 2;
    }
  }
}

BOOST_AUTO_TEST_CASE(kinds_count_attempts_separately) {
  Backoffer backoff(milliseconds(100'000), 1);
  backoff.next(BackoffKind::kRegionMiss);
  backoff.next(BackoffKind::kRegionMiss);
  BOOST_TEST(backoff.next(BackoffKind::kMaxTsNotSynced)->count() == 2);  // its own first attempt
  BOOST_TEST(backoff.next(BackoffKind::kRegionMiss)->count() == 8);
}

BOOST_AUTO_TEST_CASE(the_budget_clips_the_last_sleep_and_then_refuses) {
  Backoffer backoff(milliseconds(10), 1);
  std::vector<int64_t> sleeps;
  while (auto sleep = backoff.next(BackoffKind::kRegionMiss)) sleeps.push_back(sleep->count());
  // 2 + 4 = 6, then 4 of the 8 fit: 10 in all.
  BOOST_TEST(sleeps == std::vector<int64_t>({2, 4, 4}), boost::test_tools::per_element());
  BOOST_TEST(backoff.total_sleep().count() == 10);
}

BOOST_AUTO_TEST_CASE(server_busy_sleeps_do_not_count_against_the_budget) {
  Backoffer backoff(milliseconds(100), 1);
  for (int i = 0; i < 5; ++i) BOOST_REQUIRE(backoff.next(BackoffKind::kServerBusy));
  BOOST_TEST(backoff.total_sleep().count() > 100);
  // The budget is still whole for other kinds.
  int64_t counted = 0;
  while (auto sleep = backoff.next(BackoffKind::kRegionMiss)) counted += sleep->count();
  BOOST_TEST(counted == 100);
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_sleeps) {
  Backoffer a(milliseconds(100'000), 42), b(milliseconds(100'000), 42);
  for (int i = 0; i < 8; ++i) BOOST_TEST(a.next(BackoffKind::kPdRpc)->count() == b.next(BackoffKind::kPdRpc)->count());
}

BOOST_AUTO_TEST_SUITE_END()  // backoff_test
