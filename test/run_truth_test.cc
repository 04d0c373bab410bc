// Every number a run reports is what happened: the tikv-bench binary driven
// as a user drives it, against `tikv-bench mock-cluster` processes and the
// embedded mock, with its console, JSON, CSV and HTML compared. Rates are
// achieved, never targets; warm-up is counted apart the same way
// everywhere; failures show their cause and set the exit code; reads that
// find nothing are counted; the bound that ended a run is named; a load
// shows its progress; retries show per interval; intervals keep to their
// phase.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "support/mock_process.h"
#include "support/run_binary.h"
#include "support/temp_dir.h"

BOOST_AUTO_TEST_SUITE(run_truth_test)

namespace {

using tikvbench::test::BinaryRun;
using tikvbench::test::MockProcess;
using tikvbench::test::read_json;
using tikvbench::test::read_text;
using tikvbench::test::TempDir;
using nlohmann::json;

BinaryRun run(const std::string& args) { return tikvbench::test::run_binary(args); }

std::string workload(const std::string& name) { return tikvbench::test::repo_workload(name); }

// The number after `prefix` in `text` (the first occurrence).
double number_after(const std::string& text, const std::string& prefix) {
  const auto at = text.find(prefix);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "no '" << prefix << "' in:\n" << text);
  return std::stod(text.substr(at + prefix.size()));
}

std::string pd_flag(const MockProcess& mock) { return "--pd " + mock.pd_address(); }

}  // namespace

BOOST_AUTO_TEST_CASE(an_overloaded_open_loop_run_reports_what_it_achieved_beside_its_target) {
  // 20 ms a reply and at most 2 in flight: at most 100 ops/s against a
  // target of 500, whatever the machine.
  MockProcess mock(TIKV_BENCH_PATH, 1, {"--latency", "20ms"});
  TempDir dir("truth_overload");
  const auto spec = dir.file("open.yaml",
                             "name: open\nkeyspace:\n  records: 100\nmix:\n  read: 1\n"
                             "load:\n  rate: 500\n  max_inflight: 2\n");
  const auto result = run(fmt::format("run -P {} {} --duration 1s --plain-status --threshold 'rate>=95%' --json {}",
                                      spec, pd_flag(mock), dir.file("run.json")));
  BOOST_TEST(result.exit_code == tikvbench::kExitThresholdFailed, result.output);
  const auto doc = read_json(dir.file("run.json"));
  const double achieved = doc["total"]["ops_per_sec"].get<double>();
  const double count = static_cast<double>(doc["total"]["count"].get<uint64_t>() + doc["total"]["errors"].get<uint64_t>());
  BOOST_TEST(achieved == count / doc["duration_s"].get<double>(), boost::test_tools::tolerance(1e-9));
  BOOST_TEST(achieved < 150.0, result.output);
  BOOST_TEST(doc["phases"][0]["target_ops_per_sec"].get<double>() == 500.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(doc["phases"][0]["ops_per_sec"].get<double>() < 150.0);
  BOOST_TEST(doc["late"].get<uint64_t>() > 0u);
  // The intervals say what they aimed at, and what they did.
  bool targeted = false;
  for (const auto& interval : doc["intervals"]) {
    if (interval["target_ops_per_sec"].is_number()) targeted = interval["target_ops_per_sec"].get<double>() > 400;
    if (targeted) break;
  }
  BOOST_TEST(targeted);
  // The console shows the shortfall: the achieved rate and the target.
  BOOST_TEST(result.output.find("target 500.0 ops/s") != std::string::npos, result.output);
  BOOST_TEST(result.output.find("threshold rate>=95%: FAILED") != std::string::npos, result.output);
  BOOST_TEST(number_after(result.output, "threshold rate>=95%: FAILED (") < 30.0, result.output);
}

BOOST_AUTO_TEST_CASE(a_rate_share_compares_the_open_loop_phases_alone) {
  TempDir dir("truth_mixed");
  // A closed-loop phase runs far above the open-loop one's target; it must
  // not lift the open-loop phase's share.
  const auto spec = dir.file("mixed.yaml",
                             "name: mixed\nkeyspace:\n  records: 100\nmix:\n  read: 1\n"
                             "phases:\n  - name: closed\n    duration: 1s\n    concurrency: 8\n"
                             "  - name: open\n    duration: 1s\n    rate: 100\n");
  const auto result = run(fmt::format("run -P {} --plain-status --threshold 'rate>=50%' --json {}", spec,
                                      dir.file("run.json")));
  BOOST_TEST(result.exit_code == 0, result.output);
  // The open-loop phase's operations are its schedule's, over at least its
  // time: never above 100 %.
  BOOST_TEST(number_after(result.output, "threshold rate>=50%: ok (") <= 100.01, result.output);
  const auto doc = read_json(dir.file("run.json"));
  BOOST_TEST(doc["phases"][1]["target_ops_per_sec"].get<double>() == 100.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(doc["phases"][0]["target_ops_per_sec"].is_null());
  // On a closed-loop workload the share has no target: bad input.
  const auto closed = run(fmt::format("run -P {} --duration 1s --threshold 'rate>=95%'", workload("workloadc.yaml")));
  BOOST_TEST(closed.exit_code == tikvbench::kExitUsage, closed.output);
}

BOOST_AUTO_TEST_CASE(a_run_whose_operations_all_fail_exits_4_and_names_the_cause) {
  MockProcess mock(TIKV_BENCH_PATH, 1);  // API v1
  TempDir dir("truth_failing");
  const auto load = run(fmt::format("load -P {} {} -p tikv.apiversion=V2 --plain-status", workload("workloadc.yaml"),
                                    pd_flag(mock)));
  BOOST_TEST(load.exit_code == tikvbench::kExitRuntime, load.output);
  BOOST_TEST(load.output.find("ApiVersionNotMatched") != std::string::npos, load.output);
  const auto result = run(fmt::format("run -P {} {} -p tikv.apiversion=V2 --ops 100 --plain-status --json {}",
                                      workload("workloadc.yaml"), pd_flag(mock), dir.file("run.json")));
  BOOST_TEST(result.exit_code == tikvbench::kExitRuntime, result.output);
  BOOST_TEST(result.output.find("error server_error 100: ApiVersionNotMatched") != std::string::npos, result.output);
  const auto doc = read_json(dir.file("run.json"));
  BOOST_TEST(doc["errors_by_kind"]["server_error"].get<uint64_t>() == 100u);
  BOOST_TEST(doc["error_examples"]["server_error"].get<std::string>().find("ApiVersionNotMatched") != std::string::npos);
  // A threshold about errors decides instead.
  const auto judged = run(fmt::format("run -P {} {} -p tikv.apiversion=V2 --ops 10 --threshold 'error_rate<=100%'",
                                      workload("workloadc.yaml"), pd_flag(mock)));
  BOOST_TEST(judged.exit_code == 0, judged.output);
}

BOOST_AUTO_TEST_CASE(the_exit_code_follows_one_precedence) {
  using tikvbench::RunVerdict;
  using tikvbench::run_exit_code;
  BOOST_TEST(run_exit_code(RunVerdict{}) == 0);
  BOOST_TEST(run_exit_code(RunVerdict{.operations_failed = true}) == 4);
  BOOST_TEST(run_exit_code(RunVerdict{.operations_failed = true, .error_thresholds_given = true}) == 0);
  BOOST_TEST(run_exit_code(RunVerdict{.reports_failed = true, .operations_failed = true, .error_thresholds_given = true}) == 4);
  BOOST_TEST(run_exit_code(RunVerdict{.verify_failed = true, .operations_failed = true}) == 1);
  BOOST_TEST(run_exit_code(RunVerdict{.threshold_failed = true, .reports_failed = true}) == 1);
  BOOST_TEST(run_exit_code(RunVerdict{.signal_exit_code = 143, .threshold_failed = true}) == 143);
}

BOOST_AUTO_TEST_CASE(warm_up_is_counted_apart_and_the_console_json_csv_and_html_agree) {
  TempDir dir("truth_warmup");
  const auto result =
      run(fmt::format("run -P {} -p warmuptime=1 --duration 2s --plain-status --json {} --csv {} --html {}",
                      workload("workloadc.yaml"), dir.file("run.json"), dir.file("run.csv"), dir.file("run.html")));
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.output);
  const auto doc = read_json(dir.file("run.json"));
  const uint64_t headline = doc["total"]["count"].get<uint64_t>() + doc["total"]["errors"].get<uint64_t>();
  const uint64_t warmup = doc["warmup"]["total"]["count"].get<uint64_t>();
  BOOST_TEST(warmup > 0u);
  // The summary line and the JSON: the same operations over the same time.
  BOOST_TEST(static_cast<uint64_t>(number_after(result.output, "run: workloadc: ")) == headline, result.output);
  BOOST_TEST(number_after(result.output, " operations in ") == doc["duration_s"].get<double>(),
             boost::test_tools::tolerance(0.01));
  BOOST_TEST(doc["duration_s"].get<double>() >= 2.0);
  BOOST_TEST(doc["duration_s"].get<double>() < 3.0);  // the warm-up is left out
  BOOST_TEST(static_cast<uint64_t>(number_after(result.output, "warm-up, counted apart: ")) == warmup, result.output);
  // The HTML card.
  const auto html = read_text(dir.file("run.html"));
  std::string grouped = std::to_string(headline);
  for (int at = static_cast<int>(grouped.size()) - 3; at > 0; at -= 3) grouped.insert(static_cast<size_t>(at), ",");
  BOOST_TEST(html.find(fmt::format("<div class=\"label\">operations</div><div class=\"value\">{}</div>", grouped)) !=
             std::string::npos);
  // The CSV: recorded rows add up to the headline, warm-up rows to the
  // warm-up; the stores' rows (the last column names the store) add up to
  // the same again, each operation counted for one store.
  std::istringstream csv(read_text(dir.file("run.csv")));
  std::string line;
  std::getline(csv, line);
  uint64_t csv_recorded = 0, csv_warmup = 0, csv_stores_recorded = 0;
  while (std::getline(csv, line)) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    BOOST_REQUIRE(cells.size() > 6);
    const uint64_t done = std::stoull(cells[5]) + std::stoull(cells[6]);
    if (line.back() != ',') {
      if (cells[3] != "1") csv_stores_recorded += done;
      continue;
    }
    (cells[3] == "1" ? csv_warmup : csv_recorded) += done;
  }
  BOOST_TEST(csv_recorded == headline);
  BOOST_TEST(csv_stores_recorded == headline);
  BOOST_TEST(csv_warmup <= warmup);  // warm-up operations that ended after it are in no interval
  BOOST_TEST(csv_warmup > 0u);
  // The warm-up is a phase of its own in the JSON.
  BOOST_TEST(doc["phases"][0]["warmup"].get<bool>());
  BOOST_TEST(doc["phases"][0]["count"].get<uint64_t>() == warmup);
}

BOOST_AUTO_TEST_CASE(reads_of_a_cluster_never_loaded_count_as_not_found_with_a_warning) {
  MockProcess mock(TIKV_BENCH_PATH, 1);
  TempDir dir("truth_empty");
  const auto result = run(fmt::format("run -P {} {} --ops 200 --plain-status --json {}", workload("workloadc.yaml"),
                                      pd_flag(mock), dir.file("run.json")));
  BOOST_TEST(result.exit_code == 0, result.output);
  BOOST_TEST(result.output.find("found nothing: the data was probably not loaded") != std::string::npos, result.output);
  const auto doc = read_json(dir.file("run.json"));
  BOOST_TEST(doc["ops"]["read"]["not_found"].get<uint64_t>() == 200u);
  BOOST_TEST(doc["total"]["not_found"].get<uint64_t>() == 200u);
  // After a load, none.
  BOOST_TEST(run(fmt::format("load -P {} {}", workload("workloadc.yaml"), pd_flag(mock))).exit_code == 0);
  const auto loaded = run(fmt::format("run -P {} {} --ops 200 --plain-status --json {}", workload("workloadc.yaml"),
                                      pd_flag(mock), dir.file("run.json")));
  BOOST_TEST(loaded.output.find("found nothing") == std::string::npos, loaded.output);
  BOOST_TEST(read_json(dir.file("run.json"))["total"]["not_found"].get<uint64_t>() == 0u);
}

BOOST_AUTO_TEST_CASE(a_command_line_bound_replaces_the_files_and_the_run_names_its_bound) {
  TempDir dir("truth_bounds");
  // workloada.yaml bounds its run at 1,000 operations; --duration replaces that.
  const auto timed = run(fmt::format("run -P {} --duration 2s --plain-status --json {}", workload("workloada.yaml"),
                                     dir.file("run.json")));
  BOOST_TEST(timed.exit_code == 0, timed.output);
  auto doc = read_json(dir.file("run.json"));
  BOOST_TEST(doc["ended_by"].get<std::string>() == "duration");
  BOOST_TEST(doc["duration_s"].get<double>() >= 2.0);
  BOOST_TEST(timed.output.find("ended by: duration") != std::string::npos, timed.output);
  // Two bounds on the command line: the first reached.
  const auto counted = run(fmt::format("run -P {} --duration 1m --ops 300 --plain-status --json {}",
                                       workload("workloada.yaml"), dir.file("run.json")));
  doc = read_json(dir.file("run.json"));
  BOOST_TEST(doc["ended_by"].get<std::string>() == "operations");
  BOOST_TEST(doc["total"]["count"].get<uint64_t>() + doc["total"]["errors"].get<uint64_t>() == 300u);
  BOOST_TEST(counted.output.find("300/300 operations") != std::string::npos, counted.output);
  // -p operationcount on the command line is a command-line bound too.
  const auto property = run(fmt::format("run -P {} -p operationcount=200 --plain-status --json {}",
                                        workload("workloada.yaml"), dir.file("run.json")));
  doc = read_json(dir.file("run.json"));
  BOOST_TEST(doc["total"]["count"].get<uint64_t>() + doc["total"]["errors"].get<uint64_t>() == 200u, property.output);
  // The file's own bound, named.
  const auto file = run(fmt::format("run -P {} --plain-status --json {}", workload("workloada.yaml"), dir.file("run.json")));
  BOOST_TEST(read_json(dir.file("run.json"))["ended_by"].get<std::string>() == "operations", file.output);
}

BOOST_AUTO_TEST_CASE(a_load_shows_its_progress_and_what_it_has_in_flight) {
  MockProcess mock(TIKV_BENCH_PATH, 1, {"--latency", "5ms"});
  const auto result = run(fmt::format("load -P {} {} --status-interval 100ms --plain-status",
                                      workload("workloadc.yaml"), pd_flag(mock)));
  BOOST_TEST(result.exit_code == 0, result.output);
  BOOST_TEST(result.output.find("/1000 records (") != std::string::npos, result.output);
  BOOST_TEST(result.output.find("ETA") != std::string::npos, result.output);
  // 16 loaders, each waiting 5 ms a record: the status lines show them.
  const std::regex inflight(R"(inflight ([1-9][0-9]*))");
  BOOST_TEST(std::regex_search(result.output, inflight), result.output);
  BOOST_TEST(result.output.find("ended by: records") != std::string::npos, result.output);
}

BOOST_AUTO_TEST_CASE(the_workload_files_load_concurrently) {
  for (const char* name : {"ramp.yaml", "soak.yaml", "workloada.yaml", "workloadc.yaml"}) {
    const auto resolved = run(fmt::format("validate {}", workload(name)));
    BOOST_TEST(resolved.exit_code == 0, resolved.output);
    // The load's concurrency: load_concurrency, else the base concurrency.
    const std::regex explicit_concurrency(R"(load_concurrency: ([0-9]+))");
    const std::regex base_concurrency(R"(\nload:\n  concurrency: ([0-9]+))");
    std::smatch match;
    BOOST_TEST_REQUIRE((std::regex_search(resolved.output, match, explicit_concurrency) ||
                        std::regex_search(resolved.output, match, base_concurrency)),
                       name << ": " << resolved.output);
    BOOST_TEST(std::stoi(match[1]) >= 8, name);
  }
}

BOOST_AUTO_TEST_CASE(verify_after_a_load_without_it_is_refused_at_the_start) {
  MockProcess mock(TIKV_BENCH_PATH, 1);
  BOOST_TEST_REQUIRE(run(fmt::format("load -P {} {}", workload("workloadc.yaml"), pd_flag(mock))).exit_code == 0);
  const auto result = run(fmt::format("run -P {} {} --verify --ops 100", workload("workloadc.yaml"), pd_flag(mock)));
  BOOST_TEST(result.exit_code == tikvbench::kExitUsage, result.output);
  BOOST_TEST(result.output.find("loaded without --verify") != std::string::npos, result.output);
  BOOST_TEST(result.output.find("corrupt") == std::string::npos, result.output);
  // Loaded with --verify, the same run verifies.
  BOOST_TEST_REQUIRE(
      run(fmt::format("load -P {} {} --verify", workload("workloadc.yaml"), pd_flag(mock))).exit_code == 0);
  const auto verified = run(fmt::format("run -P {} {} --verify --ops 100", workload("workloadc.yaml"), pd_flag(mock)));
  BOOST_TEST(verified.exit_code == 0, verified.output);
  BOOST_TEST(verified.output.find("lost 0, corrupt 0") != std::string::npos, verified.output);
}

BOOST_AUTO_TEST_CASE(retries_show_in_the_interval_they_happened) {
  MockProcess mock(TIKV_BENCH_PATH, 3, {"--chaos", "transfer-leader=50ms"});
  TempDir dir("truth_retries");
  BOOST_TEST_REQUIRE(run(fmt::format("load -P {} {}", workload("workloadc.yaml"), pd_flag(mock))).exit_code == 0);
  const auto result = run(fmt::format("run -P {} {} --duration 2s --status-interval 250ms --plain-status --json {}",
                                      workload("workloadc.yaml"), pd_flag(mock), dir.file("run.json")));
  BOOST_TEST(result.exit_code == 0, result.output);
  const auto doc = read_json(dir.file("run.json"));
  const auto total = doc["retries_by_kind"].value("not_leader", uint64_t{0});
  BOOST_TEST(total > 0u, result.output);
  uint64_t by_interval = 0;
  for (const auto& interval : doc["intervals"]) by_interval += interval["retries_by_kind"].value("not_leader", uint64_t{0});
  BOOST_TEST(by_interval == total);
  BOOST_TEST(result.output.find("retries/s not_leader") != std::string::npos, result.output);
}

BOOST_AUTO_TEST_CASE(an_interval_that_completes_nothing_says_what_operations_wait_on) {
  MockProcess mock(TIKV_BENCH_PATH, 1);
  mock.command("stop-store 1");
  const auto result = run(fmt::format("run -P {} {} --ops 4 --backoff-budget 2s --status-interval 200ms --plain-status",
                                      workload("workloadc.yaml"), pd_flag(mock)));
  BOOST_TEST(result.exit_code == tikvbench::kExitRuntime, result.output);
  BOOST_TEST(result.output.find("waiting on: ") != std::string::npos, result.output);
  BOOST_TEST(result.output.find("store unreachable") != std::string::npos, result.output);
}

BOOST_AUTO_TEST_CASE(intervals_keep_to_their_phase_and_the_drain_is_labelled) {
  // 150 ms a reply, so operations are still in flight when the last phase ends.
  MockProcess mock(TIKV_BENCH_PATH, 1, {"--latency", "150ms"});
  TempDir dir("truth_phases");
  const auto spec = dir.file("two.yaml",
                             "name: two\nkeyspace:\n  records: 100\nmix:\n  read: 1\n"
                             "phases:\n  - name: slow\n    duration: 1s\n    rate: 50\n"
                             "  - name: fast\n    duration: 1s\n    rate: 100\n");
  const auto result = run(fmt::format("run -P {} {} --status-interval 700ms --plain-status --json {} --html {}", spec,
                                      pd_flag(mock), dir.file("run.json"), dir.file("run.html")));
  BOOST_TEST(result.exit_code == 0, result.output);
  const auto doc = read_json(dir.file("run.json"));
  bool drained = false;
  for (const auto& interval : doc["intervals"]) {
    const double end = interval["t"].get<double>();
    const double start = end - interval["length_s"].get<double>();
    const auto phase = interval["phase"].get<std::string>();
    if (phase == "slow") {
      BOOST_TEST(start < 1.0);
      BOOST_TEST(end < 1.05);  // ended at the boundary (plus a wake-up's delay)
    } else if (phase == "fast") {
      BOOST_TEST(start >= 1.0);
      BOOST_TEST(start < 2.0);
    } else {
      BOOST_TEST(phase == "drain");
      BOOST_TEST(interval["drain"].get<bool>());
      BOOST_TEST(start >= 2.0);
      drained = true;
    }
  }
  BOOST_TEST(drained, result.output);
  // Every operation started belongs to its phase; the drain's count in the last.
  BOOST_TEST(doc["phases"][0]["count"].get<uint64_t>() == 50u);
  BOOST_TEST(doc["phases"][1]["count"].get<uint64_t>() == 100u);
  const auto html = read_text(dir.file("run.html"));
  BOOST_TEST(html.find(">drain<") != std::string::npos);
  BOOST_TEST(html.find("latency from the intended start") != std::string::npos);
  BOOST_TEST(html.find("p99.9") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()  // run_truth_test
