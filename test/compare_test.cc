// `tikv-bench compare A.json B.json`: the comparison of made-up runs (which
// intervals count, the direction of worse, the bound), bad input in one
// line with exit code 2, and two real runs against a mock cluster, one with
// 5 ms of injected reply latency: a significant regression and exit code 1
// under --max-regression 5%, while a run compared with itself shows none.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "report/comparison_html.h"
#include "report/run_comparison.h"
#include "support/mock_process.h"
#include "support/run_binary.h"
#include "support/temp_dir.h"

BOOST_AUTO_TEST_SUITE(compare_test)

namespace {

using nlohmann::json;
using tikvbench::report::ComparedRun;
using tikvbench::report::Comparison;
using tikvbench::report::ComparisonRow;
using tikvbench::report::compare_runs;
using tikvbench::test::MockProcess;
using tikvbench::test::run_binary;
using tikvbench::test::TempDir;

// An interval record of `length` seconds with `count` reads whose p99 is
// `p99` µs (the other percentiles below it).
json read_interval(double t, double length, double count, double p99, const std::string& phase = "main",
                   double errors = 0) {
  return {{"t", t},
          {"length_s", length},
          {"phase", phase},
          {"warmup", phase == "warm"},
          {"drain", phase == "drain"},
          {"ops",
           {{"read",
             {{"count", count}, {"errors", errors}, {"p50_us", p99 / 4}, {"p90_us", p99 / 2}, {"p99_us", p99},
              {"p999_us", p99 * 2}}}}}};
}

// A run of `n` one-second intervals with reads at about `rate` ops/s and a
// p99 of about `p99` µs (varying by a few percent so that no two tie), a
// warm-up interval before and a drain after, far off both.
json made_up_run(int n, double rate, double p99) {
  json intervals = json::array({read_interval(1, 1, rate * 100, p99 * 100, "warm")});
  for (int i = 0; i < n; ++i) {
    const double wobble = 1 + 0.01 * ((i * 7) % 5 - 2) + 0.0001 * i;
    intervals.push_back(read_interval(2 + i, 1, rate * wobble, p99 * wobble));
  }
  intervals.push_back(read_interval(2 + n, 0.2, 1, p99 * 100, "drain"));
  const double mid = p99;
  return {{"workload", {{"name", "made-up"}}},
          {"started_at", "2026-12-07T00:00:00.000Z"},
          {"duration_s", n + 0.2},
          {"ops",
           {{"read",
             {{"ops_per_sec", rate},
              {"count", rate * n},
              {"errors", 0},
              {"intended_latency_us", {{"p50", mid / 4}, {"p90", mid / 2}, {"p99", mid}, {"p999", mid * 2}}}}}}},
          {"intervals", intervals}};
}

const ComparisonRow& row_of(const Comparison& c, const std::string& op, const std::string& metric) {
  const auto it = std::find_if(c.rows.begin(), c.rows.end(),
                               [&](const ComparisonRow& r) { return r.op == op && r.metric == metric; });
  BOOST_REQUIRE(it != c.rows.end());
  return *it;
}

size_t lines_in(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

std::string workload_file() { return tikvbench::test::repo_workload("workloada.yaml"); }

}  // namespace

BOOST_AUTO_TEST_CASE(slower_intervals_are_a_significant_regression_in_both_directions_of_worse) {
  const auto comparison = compare_runs({"a.json", made_up_run(8, 1000, 800)}, {"b.json", made_up_run(8, 900, 1200)});
  BOOST_REQUIRE(comparison.ok());
  // The warm-up and drain intervals are not samples.
  BOOST_TEST(comparison->a.intervals == 8u);
  const auto& rate = row_of(*comparison, "read", "ops/s");
  BOOST_TEST(rate.higher_is_better);
  BOOST_TEST(rate.change_pct == -10.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(rate.test.n_a == 8u);
  BOOST_TEST(rate.test.n_b == 8u);
  BOOST_TEST(rate.significant);
  BOOST_TEST(rate.worse);  // lower throughput
  const auto& p99 = row_of(*comparison, "read", "p99");
  BOOST_TEST(p99.change_pct == 50.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(p99.worse);  // higher latency
  BOOST_TEST(p99.beyond(5.0));
  BOOST_TEST(!p99.beyond(60.0));
  BOOST_TEST(tikvbench::report::regressions(*comparison, 5.0).size() == 5u);  // ops/s and the four percentiles
  BOOST_TEST(tikvbench::report::regressions(*comparison, 20.0).size() == 4u);  // the four percentiles at +50%

  // B against A: everything better, nothing worse.
  const auto reverse = compare_runs({"b.json", made_up_run(8, 900, 1200)}, {"a.json", made_up_run(8, 1000, 800)});
  BOOST_REQUIRE(reverse.ok());
  BOOST_TEST(row_of(*reverse, "read", "ops/s").significant);
  BOOST_TEST(!row_of(*reverse, "read", "ops/s").worse);
  BOOST_TEST(tikvbench::report::regressions(*reverse, 0.0).empty());
  const auto text = tikvbench::report::comparison_text(*comparison, 5.0);
  BOOST_TEST(text.find("REGRESSION beyond 5%") != std::string::npos, text);
  BOOST_TEST(text.find("compare: 5 significant regressions beyond 5%: read ops/s -10.00%") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(errors_from_none_are_a_regression_beyond_any_bound) {
  auto b = made_up_run(8, 1000, 800);
  for (int i = 1; i <= 8; ++i) b["intervals"][i]["ops"]["read"]["errors"] = 50 + i;
  b["ops"]["read"]["errors"] = 400;
  const auto comparison = compare_runs({"a", made_up_run(8, 1000, 800)}, {"b", b});
  BOOST_REQUIRE(comparison.ok());
  const auto& errors = row_of(*comparison, "read", "error%");
  BOOST_TEST(errors.error_rate);
  BOOST_TEST(errors.a == 0.0);
  BOOST_TEST(errors.b > 4.0);
  BOOST_TEST(errors.significant);
  BOOST_TEST(errors.worse);
  BOOST_TEST(errors.beyond(1000.0));  // from none: +inf%
  const auto text = tikvbench::report::comparison_text(*comparison, 5.0);
  BOOST_TEST(text.find("read error% +inf%") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(too_few_intervals_or_equal_runs_are_not_significant) {
  // 2 + 2 intervals cannot reach p < 0.05 (the exact p is at least 1/3).
  const auto few = compare_runs({"a", made_up_run(2, 1000, 800)}, {"b", made_up_run(2, 500, 8000)});
  BOOST_REQUIRE(few.ok());
  BOOST_TEST(row_of(*few, "read", "ops/s").test.p_value == 1.0 / 3, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(!row_of(*few, "read", "ops/s").significant);
  BOOST_TEST(tikvbench::report::regressions(*few, 0.0).empty());
  const auto same = compare_runs({"a", made_up_run(8, 1000, 800)}, {"a", made_up_run(8, 1000, 800)});
  BOOST_REQUIRE(same.ok());
  for (const auto& row : same->rows) {
    BOOST_TEST(!row.significant, row.metric);
    BOOST_TEST(row.change_pct == 0.0, row.metric);
  }
  const auto text = tikvbench::report::comparison_text(*same, 5.0);
  BOOST_TEST(text.find("compare: no significant regression beyond 5%") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(a_stub_interval_is_no_sample_and_an_op_of_one_run_is_named) {
  auto a = made_up_run(8, 1000, 800);
  a["intervals"].push_back(read_interval(10.3, 0.1, 10, 50));  // cut short by a phase boundary
  auto b = made_up_run(8, 1000, 800);
  b["ops"]["update"] = {{"ops_per_sec", 5}};
  b["intervals"][1]["ops"]["update"] = {{"count", 5}, {"errors", 0}, {"p99_us", 100}};
  const auto comparison = compare_runs({"a", a}, {"b", b});
  BOOST_REQUIRE(comparison.ok());
  BOOST_TEST(comparison->a.intervals == 8u);
  BOOST_TEST(comparison->only_in_b == std::vector<std::string>{"update"});
  BOOST_TEST(comparison->rows.size() == 6u);  // read only
  BOOST_TEST(tikvbench::report::comparison_text(*comparison, std::nullopt).find("update: only in B\n") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(documents_that_are_no_run_are_refused_naming_them) {
  const auto not_run = compare_runs({"x.json", json{{"hello", 1}}}, {"b", made_up_run(8, 1, 1)});
  BOOST_TEST(!not_run.ok());
  BOOST_TEST(not_run.status().message() == "x.json: not a tikv-bench run (no ops, no intervals)");
  auto warm_only = made_up_run(0, 1000, 800);
  const auto no_intervals = compare_runs({"a", made_up_run(8, 1, 1)}, {"w.json", warm_only});
  BOOST_TEST(!no_intervals.ok());
  BOOST_TEST(no_intervals.status().message().starts_with("w.json: no measured intervals to compare"));
}

BOOST_AUTO_TEST_CASE(the_html_page_draws_both_runs_on_each_chart) {
  const auto a = made_up_run(8, 1000, 800), b = made_up_run(8, 900, 1200);
  const auto comparison = compare_runs({"a.json", a}, {"b.json", b});
  BOOST_REQUIRE(comparison.ok());
  const auto page = tikvbench::report::render_comparison_html(*comparison, a, b, 5.0);
  BOOST_TEST(page.find("id=\"throughput-0-read\"") != std::string::npos);
  BOOST_TEST(page.find("id=\"p99-0-read\"") != std::string::npos);
  // Each chart's legend names both runs.
  size_t legends = 0;
  for (size_t at = page.find("A: a.json"); at != std::string::npos; at = page.find("A: a.json", at + 1)) ++legends;
  BOOST_TEST(legends >= 2u);
  BOOST_TEST(page.find("B: b.json") != std::string::npos);
  BOOST_TEST(page.find("regression beyond 5%") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_input_is_one_line_naming_the_file_and_exit_2) {
  TempDir dir("compare_bad");
  const auto good = dir.file("good.json", made_up_run(8, 1000, 800).dump());
  const auto not_json = dir.file("not.json", "{ this is not json");
  const auto not_run = dir.file("array.json", "[1, 2, 3]");
  auto warm_only = made_up_run(0, 1000, 800);
  const auto no_intervals = dir.file("warm.json", warm_only.dump());
  const auto missing = dir.file("missing.json");
  const struct {
    std::string args, needle;
  } cases[] = {
      {fmt::format("compare {} {}", missing, good), missing + ": cannot read"},
      {fmt::format("compare {} {}", good, not_json), not_json + ": not JSON"},
      {fmt::format("compare {} {}", not_run, good), not_run + ": not a tikv-bench run"},
      {fmt::format("compare {} {}", good, no_intervals), no_intervals + ": no measured intervals"},
      {fmt::format("compare {} {} --max-regression 5", good, good), "--max-regression 5: give a percentage"},
      {fmt::format("compare {} {} --max-regression fast%", good, good), "--max-regression fast%: not a number"},
      {fmt::format("compare {} {} --alpha 2", good, good), "--alpha 2: must be between 0 and 1"},
      {fmt::format("compare {} {} --html /proc/x.html", good, good), "--html /proc/x.html"},
      {fmt::format("compare {}", good), "B is required"},
  };
  for (const auto& c : cases) {
    const auto result = run_binary(c.args);
    BOOST_TEST(result.exit_code == tikvbench::kExitUsage, c.args << ": " << result.output);
    BOOST_TEST(lines_in(result.output) == 1u, c.args << ": " << result.output);
    BOOST_TEST(result.output.find(c.needle) != std::string::npos, c.args << ": " << result.output);
  }
}

BOOST_AUTO_TEST_CASE(injected_latency_is_a_significant_regression_and_a_run_against_itself_none) {
  TempDir dir("compare_runs");
  MockProcess mock(TIKV_BENCH_PATH, 1);
  const auto pd = mock.pd_address();
  const auto load = run_binary(fmt::format("load -P {} --pd {}", workload_file(), pd));
  BOOST_REQUIRE_MESSAGE(load.exit_code == 0, load.output);
  const auto run = [&](const std::string& json_file) {
    const auto result = run_binary(fmt::format("run -P {} --pd {} --duration 3s --status-interval 250ms "
                                               "--plain-status --json {}",
                                               workload_file(), pd, json_file));
    BOOST_REQUIRE_MESSAGE(result.exit_code == 0, result.output);
  };
  const auto fast = dir.file("fast.json"), slow = dir.file("slow.json");
  run(fast);
  mock.command("latency 5ms");
  run(slow);

  const auto html = dir.file("compare.html"), report = dir.file("compare.json");
  const auto regressed =
      run_binary(fmt::format("compare {} {} --max-regression 5% --html {} --json {}", fast, slow, html, report));
  BOOST_TEST(regressed.exit_code == tikvbench::kExitThresholdFailed, regressed.output);
  BOOST_TEST(regressed.output.find("REGRESSION beyond 5%") != std::string::npos, regressed.output);
  const auto doc = tikvbench::test::read_json(report);
  bool p99_regressed = false;
  for (const auto& row : doc["rows"]) {
    if (row["metric"] == "p99" && row["beyond"].get<bool>()) {
      p99_regressed = true;
      BOOST_TEST(row["p_value"].get<double>() < 0.05);
      BOOST_TEST(row["b"].get<double>() >= 5000.0);  // every reply held 5 ms
      BOOST_TEST(row["n_a"].get<size_t>() >= 4u);
    }
  }
  BOOST_TEST(p99_regressed, regressed.output);
  BOOST_TEST(std::filesystem::file_size(html) > 0u);

  // Without a bound the same comparison names what is worse and exits 0.
  const auto unbounded = run_binary(fmt::format("compare {} {}", fast, slow));
  BOOST_TEST(unbounded.exit_code == tikvbench::kExitOk, unbounded.output);
  BOOST_TEST(unbounded.output.find("compare: significantly worse: read ops/s") != std::string::npos,
             unbounded.output);

  const auto itself = run_binary(fmt::format("compare {} {} --max-regression 5%", fast, fast));
  BOOST_TEST(itself.exit_code == tikvbench::kExitOk, itself.output);
  BOOST_TEST(itself.output.find("compare: no significant regression beyond 5%") != std::string::npos, itself.output);
  BOOST_TEST(itself.output.find("REGRESSION") == std::string::npos, itself.output);
  BOOST_TEST(itself.output.find("worse") == std::string::npos, itself.output);
}

BOOST_AUTO_TEST_SUITE_END()
