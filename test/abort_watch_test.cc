// The abort watch: thresholds followed through a run's intervals, aborting
// one that failed continuously for its grace period.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <optional>

#include "report/threshold.h"
#include "support/recorded_figures.h"

// A suite of the one test executable; meson runs it as "abort_watch".
BOOST_AUTO_TEST_SUITE(abort_watch_test)

using namespace tikvbench;
using namespace tikvbench::report;
using namespace tikvbench::test;
using namespace std::chrono_literals;


namespace {

const std::chrono::steady_clock::time_point kStart{};
const ThresholdContext kSecond{1s, std::nullopt};

std::chrono::steady_clock::time_point at(int seconds) { return kStart + std::chrono::seconds(seconds); }

}  // namespace

BOOST_AUTO_TEST_CASE(keeps_only_thresholds_that_abort) {
  AbortWatch none({parse_threshold("p99 < 10ms"), parse_threshold("errors == 0")});
  BOOST_TEST(none.empty());
  BOOST_TEST(!none.on_interval(reads_with_errors(0, 100), kSecond, at(100)).has_value());

  AbortWatch one({parse_threshold("p99 < 1us"), parse_threshold("errors == 0 abort after 0s")});
  BOOST_TEST(!one.empty());
  // p99 fails here but does not abort; errors == 0 holds.
  BOOST_TEST(!one.on_interval(queued_reads(), kSecond, at(1)).has_value());
}

BOOST_AUTO_TEST_CASE(fires_only_after_the_grace_period_of_continuous_failure) {
  AbortWatch watch({parse_threshold("errors == 0 abort after 3s")});
  const Figures failing = reads_with_errors(10, 1);
  BOOST_TEST(!watch.on_interval(failing, kSecond, at(1)).has_value());
  BOOST_TEST(!watch.on_interval(failing, kSecond, at(2)).has_value());
  const auto reason = watch.on_interval(failing, kSecond, at(3));
  BOOST_TEST_REQUIRE(reason.has_value());
  BOOST_TEST(reason->find("'errors == 0 abort after 3s'") != std::string::npos, *reason);
  BOOST_TEST(reason->find("3s") != std::string::npos, *reason);
}

BOOST_AUTO_TEST_CASE(the_reason_gives_the_time_failed_rounded_for_people) {
  // Intervals as a real clock measures them: not whole seconds.
  AbortWatch watch({parse_threshold("errors == 0 abort after 2s")});
  const Figures failing = reads_with_errors(10, 1);
  const ThresholdContext first{989'801'087ns, std::nullopt};
  BOOST_TEST(!watch.on_interval(failing, first, kStart + 989'801'087ns).has_value());
  const auto reason = watch.on_interval(failing, kSecond, kStart + 2'989'801'087ns);
  BOOST_TEST_REQUIRE(reason.has_value());
  BOOST_TEST(*reason == "threshold 'errors == 0 abort after 2s' has failed for 3.0s; last value 1", *reason);
}

BOOST_AUTO_TEST_CASE(a_passing_interval_starts_the_count_again) {
  AbortWatch watch({parse_threshold("error_rate < 5% abort after 3s")});
  const Figures failing = reads_with_errors(90, 10);
  const Figures passing = reads_with_errors(100, 0);
  BOOST_TEST(!watch.on_interval(failing, kSecond, at(1)).has_value());
  BOOST_TEST(!watch.on_interval(failing, kSecond, at(2)).has_value());
  BOOST_TEST(!watch.on_interval(passing, kSecond, at(3)).has_value());
  BOOST_TEST(!watch.on_interval(failing, kSecond, at(4)).has_value());
  BOOST_TEST(!watch.on_interval(failing, kSecond, at(5)).has_value());
  const auto reason = watch.on_interval(failing, kSecond, at(6));
  BOOST_TEST_REQUIRE(reason.has_value());
  BOOST_TEST(reason->find("10%") != std::string::npos, *reason);
}

BOOST_AUTO_TEST_CASE(an_interval_without_data_starts_the_count_again) {
  AbortWatch watch({parse_threshold("read.p99 < 10ms abort after 2s")});
  Recorder recorder(1, 1);
  record(recorder, OpType::kRead, 100, 100'000, 100'000);
  const Figures failing = taken(recorder);
  const Figures nothing;
  BOOST_TEST(!watch.on_interval(failing, kSecond, at(1)).has_value());
  BOOST_TEST(!watch.on_interval(nothing, kSecond, at(2)).has_value());
  BOOST_TEST(!watch.on_interval(failing, kSecond, at(3)).has_value());
  BOOST_TEST(watch.on_interval(failing, kSecond, at(4)).has_value());
}

BOOST_AUTO_TEST_CASE(the_default_grace_is_ten_seconds_and_zero_fires_at_once) {
  const Figures failing = reads_with_errors(10, 1);
  AbortWatch by_default({parse_threshold("errors == 0 abort")});
  for (int second = 1; second < 10; ++second) {
    BOOST_TEST_CONTEXT(second) { BOOST_TEST(!by_default.on_interval(failing, kSecond, at(second)).has_value()); }
  }
  BOOST_TEST(by_default.on_interval(failing, kSecond, at(10)).has_value());

  AbortWatch at_once({parse_threshold("errors == 0 abort after 0s")});
  BOOST_TEST(at_once.on_interval(failing, kSecond, at(1)).has_value());
}

BOOST_AUTO_TEST_CASE(the_first_threshold_to_fire_is_named_and_uses_the_interval_target) {
  AbortWatch watch({parse_threshold("error_rate < 50% abort after 5s"), parse_threshold("rate >= 90% abort after 2s")});
  const Figures slow = reads_with_errors(80, 0);  // 80 ops/s against a target of 100
  const ThresholdContext open_loop{1s, 100.0};
  BOOST_TEST(!watch.on_interval(slow, open_loop, at(1)).has_value());
  const auto reason = watch.on_interval(slow, open_loop, at(2));
  BOOST_TEST_REQUIRE(reason.has_value());
  BOOST_TEST(reason->find("'rate >= 90% abort after 2s'") != std::string::npos, *reason);
  BOOST_TEST(reason->find("80%") != std::string::npos, *reason);
  // The target ramps down to what is achieved: the rate passes, the count restarts.
  const ThresholdContext ramped{1s, 80.0};
  BOOST_TEST(!watch.on_interval(slow, ramped, at(3)).has_value());
  BOOST_TEST(!watch.on_interval(slow, open_loop, at(4)).has_value());
}

BOOST_AUTO_TEST_SUITE_END()  // abort_watch_test
