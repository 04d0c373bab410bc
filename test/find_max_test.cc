// find-max: the search on its own (RateSearch against a made-up cluster),
// then the command against a mock cluster capped at 2,000 ops/s, whose
// answer must lie within 10 % of the cap, and its refusals.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/mock_process.h"
#include "support/run_binary.h"
#include "support/temp_dir.h"
#include "workload/rate_search.h"

// A suite of the one test executable; meson runs it as "find_max".
BOOST_AUTO_TEST_SUITE(find_max_test)

using namespace tikvbench;
using namespace tikvbench::test;

namespace {

// Runs the search against a cluster that holds every rate up to `capacity`;
// returns the rates tried, in order.
std::vector<int64_t> search_against(int64_t capacity, workload::RateSearch& search) {
  std::vector<int64_t> tried;
  while (auto rate = search.next()) {
    tried.push_back(*rate);
    search.record(*rate, *rate <= capacity);
    BOOST_REQUIRE(tried.size() < 100);
  }
  return tried;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_search_doubles_then_bisects_to_the_precision) {
  workload::RateSearch search({.start = 500, .max = std::nullopt, .precision = 0.02});
  const auto tried = search_against(2000, search);
  // Rising: 500, 1000, 2000 held, 4000 broke; then halves between 2000 and 4000.
  const std::vector<int64_t> expected = {500, 1000, 2000, 4000, 3000, 2500, 2250, 2125, 2062, 2031};
  BOOST_TEST(tried == expected, boost::test_tools::per_element());
  BOOST_TEST(*search.held() == 2000);
  BOOST_TEST(*search.broken() == 2031);
}

BOOST_AUTO_TEST_CASE(the_search_stops_at_max_or_when_the_first_step_breaks) {
  workload::RateSearch capped({.start = 1000, .max = 3000, .precision = 0.02});
  const auto tried = search_against(1'000'000, capped);
  BOOST_TEST(tried == (std::vector<int64_t>{1000, 2000, 3000}), boost::test_tools::per_element());
  BOOST_TEST(*capped.held() == 3000);
  BOOST_TEST(!capped.broken());

  workload::RateSearch broken({.start = 1000, .max = std::nullopt, .precision = 0.02});
  BOOST_TEST(search_against(10, broken) == std::vector<int64_t>{1000}, boost::test_tools::per_element());
  BOOST_TEST(!broken.held());
}

BOOST_AUTO_TEST_CASE(the_answer_lies_within_ten_percent_of_the_mock_clusters_rate_cap) {
  // One store serving at most 2,000 requests a second; above that requests
  // queue and their latency grows with the step: at rate r over a 2 s step
  // the last request waits (r - 2000) / 2000 × 2 s. A step breaks when its
  // p99 passes 100 ms (about 2,100 ops/s here) or when it achieves less
  // than 95 % of its target (the drain counts in its time: about 2,105).
  constexpr int64_t kCap = 2000;
  MockProcess mock(TIKV_BENCH_PATH, 1, {"--rate-cap", std::to_string(kCap)});
  TempDir dir("find_max");
  const auto workload = dir.file("reads.yaml", "keyspace: {records: 200}\nvalues: {fields: 1, field_length: 10}\n"
                                               "mix: {read: 1}\n");
  const auto load = run_binary(fmt::format("load -P {} --pd {}", workload, mock.pd_address()));
  BOOST_REQUIRE_MESSAGE(load.exit_code == 0, load.output);

  const auto json = dir.file("find-max.json");
  const auto html = dir.file("find-max.html");
  const auto run = run_binary(fmt::format(
      "find-max -P {} --pd {} --slo 'read.p99<100ms' --start 500 --step-duration 2s --json {} --html {}", workload,
      mock.pd_address(), json, html));
  BOOST_TEST_MESSAGE(run.output);
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.output);

  const auto report = read_json(json);
  BOOST_REQUIRE(report["highest_ops_per_sec"].is_number_integer());
  const int64_t answer = report["highest_ops_per_sec"].get<int64_t>();
  BOOST_TEST_MESSAGE(fmt::format("find-max found {} ops/s for a cap of {}", answer, kCap));
  BOOST_TEST(answer >= kCap * 9 / 10, run.output);
  BOOST_TEST(answer <= kCap * 11 / 10, run.output);
  BOOST_TEST(run.output.find(fmt::format("highest rate within the SLO: {} ops/s", answer)) != std::string::npos,
             run.output);
  BOOST_TEST(report["ended_by"] == "bisected");
  // Every step is in the JSON with its figures; the first ones rose.
  const auto& steps = report["steps"];
  BOOST_REQUIRE(steps.size() >= 4u);
  BOOST_TEST(steps[0]["phase"] == "rise");
  BOOST_TEST(steps[0]["target_ops_per_sec"] == 500);
  BOOST_TEST(steps[0]["ok"] == true);
  bool broke = false;
  for (const auto& step : steps) {
    BOOST_TEST(step["achieved_ops_per_sec"].get<double>() > 0);
    BOOST_TEST(step["p99_us"].is_number());
    BOOST_TEST(step["error_rate"] == 0.0);
    if (step["ok"] == false) {
      broke = true;
      BOOST_TEST(!step["broken_by"].get<std::string>().empty());
      BOOST_TEST(step["target_ops_per_sec"].get<int64_t>() > answer);
    } else {
      BOOST_TEST(step["target_ops_per_sec"].get<int64_t>() <= answer);
    }
  }
  BOOST_TEST(broke);
  const auto page = read_text(html);
  BOOST_TEST(page.find("id=\"find-max-latency\"") != std::string::npos);
  BOOST_TEST(page.find("id=\"find-max-errors\"") != std::string::npos);
  BOOST_TEST(page.find(fmt::format("{} ops/s", answer)) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(even_the_first_step_breaking_the_slo_exits_5) {
  MockProcess mock(TIKV_BENCH_PATH, 1);
  TempDir dir("find_max_first");
  const auto workload = dir.file("reads.yaml", "keyspace: {records: 20}\nmix: {read: 1}\n");
  // No reply comes within a microsecond.
  const auto run = run_binary(fmt::format("find-max -P {} --pd {} --slo 'p50<1us' --start 100 --step-duration 1s",
                                          workload, mock.pd_address()));
  BOOST_TEST(run.exit_code == 5, run.output);
  BOOST_TEST(run.output.find("broken: p50<1us") != std::string::npos, run.output);
  BOOST_TEST(run.output.find("highest rate within the SLO: none") != std::string::npos, run.output);
}

BOOST_AUTO_TEST_CASE(bad_input_exits_2_with_one_line_naming_the_flag) {
  TempDir dir("find_max_bad");
  const auto workload = dir.file("reads.yaml", "keyspace: {records: 20}\nmix: {read: 1}\n");
  // Refused before anything connects: no cluster listens at this PD.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--slo 'read.p99<<10ms'", "--slo: threshold 'read.p99<<10ms'"},
      {"--slo 'read.p99<10ms,bogus>1'", "--slo: threshold 'bogus>1'"},
      {"--slo 'p99<10ms' --start 0", "--start: 0 must be at least 1"},
      {"--slo 'p99<10ms' --start 1000 --max 10", "--max: 10 is below --start (1000)"},
      {"--slo 'p99<10ms' --precision 200%", "--precision: '200%'"},
      {"--slo 'p99<10ms' --step-duration soon", "--step-duration:"},
  };
  for (const auto& [flags, message] : cases) {
    const auto run = run_binary(fmt::format("find-max -P {} --pd 127.0.0.1:1 {}", workload, flags));
    BOOST_TEST(run.exit_code == 2, flags << ": " << run.output);
    BOOST_TEST(run.output.find(message) != std::string::npos, flags << ": " << run.output);
    BOOST_TEST(std::count(run.output.begin(), run.output.end(), '\n') == 1, flags << ": " << run.output);
  }
  const auto missing = run_binary(fmt::format("find-max -P {} --pd 127.0.0.1:1", workload));
  BOOST_TEST(missing.exit_code == 2, missing.output);
  BOOST_TEST(missing.output.find("--slo") != std::string::npos, missing.output);
}

BOOST_AUTO_TEST_SUITE_END()  // find_max_test
