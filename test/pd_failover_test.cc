// tikv-bench's client against a PD of several members, as real clusters run
// it: through leader moves (elections with no leader), a leader stopped for
// good, endpoints of two clusters, and keyspaces looked up by name. Each
// test drives the binary against `tikv-bench mock-cluster` processes.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/mock_process.h"
#include "support/run_binary.h"
#include "support/temp_dir.h"

// A suite of the one test executable; meson runs it as "pd_failover".
BOOST_AUTO_TEST_SUITE(pd_failover_test)

using namespace tikvbench::test;

namespace {

// Half reads, half updates of 2,000 records, every read verified.
constexpr const char* kWorkload =
    "keyspace: {records: 2000}\n"
    "values: {fields: 1, field_length: 50}\n"
    "mix: {read: 0.5, update: 0.5}\n"
    "distribution: uniform\n"
    "load: {concurrency: 32}\n"
    "verify: true\n";

// Checks a run's JSON report: operations done, none failed, nothing lost.
void check_nothing_lost(const std::string& report) {
  const auto doc = read_json(report);
  BOOST_TEST(doc["total"]["count"].get<int64_t>() > 0);
  BOOST_TEST(doc["total"]["errors"].get<int64_t>() == 0);
  BOOST_TEST(doc["verify"]["checked"].get<int64_t>() > 0);
  BOOST_TEST(doc["verify"]["lost"].get<int64_t>() == 0);
  BOOST_TEST(doc["verify"]["corrupt"].get<int64_t>() == 0);
}

// How many times chaos has moved PD's leader.
int pd_leader_moves(MockProcess& mock) {
  const std::string line = mock.lines("chaos").at(0);
  const auto at = line.find("pd-leader-moves ");
  BOOST_REQUIRE(at != std::string::npos);
  return std::stoi(line.substr(at + 16));
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_verified_run_through_pd_leader_moves_and_store_restarts_loses_nothing) {
  MockProcess mock(TIKV_BENCH_PATH, 3,
                   {"--pd-members", "3", "--election", "300ms", "--chaos",
                    "pd-leader=1s,restart-store=3s,downtime=1s,split=500ms"});
  TempDir dir("pd_failover_moves");
  const auto workload = dir.file("w.yaml", kWorkload);
  const auto load = run_binary(fmt::format("load -P {} --pd {}", workload, mock.pd_list()));
  BOOST_REQUIRE_MESSAGE(load.exit_code == 0, load.output);
  const auto report = dir.file("r.json");
  const auto run = run_binary(fmt::format("run -P {} --pd {} --duration 8s --json {}", workload, mock.pd_list(), report));
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.output);
  check_nothing_lost(report);
  BOOST_TEST(pd_leader_moves(mock) >= 3);
}

BOOST_AUTO_TEST_CASE(a_run_goes_on_when_the_pd_leader_stops_for_good) {
  MockProcess mock(TIKV_BENCH_PATH, 3, {"--pd-members", "3", "--election", "300ms", "--chaos", "split=300ms"});
  TempDir dir("pd_failover_stop");
  const auto workload = dir.file("w.yaml", kWorkload);
  const auto load = run_binary(fmt::format("load -P {} --pd {}", workload, mock.pd_list()));
  BOOST_REQUIRE_MESSAGE(load.exit_code == 0, load.output);
  mock.ask("first-request");  // starts the watch: the run's first request comes after
  const auto report = dir.file("r.json");
  auto running = std::async(std::launch::async, [&] {
    return run_binary(fmt::format("run -P {} --pd {} --duration 6s --json {}", workload, mock.pd_list(), report));
  });
  // Once the run is under way, its PD leader goes; splits keep sending it
  // to PD for regions.
  while (mock.ask("first-request") == "first-request none") std::this_thread::yield();
  mock.command("stop-pd 1");
  const auto run = running.get();
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.output);
  check_nothing_lost(report);
}

BOOST_AUTO_TEST_CASE(pd_endpoints_of_two_clusters_are_refused_naming_both) {
  MockProcess first(TIKV_BENCH_PATH, 1, {"--cluster-id", "111"});
  MockProcess second(TIKV_BENCH_PATH, 1, {"--cluster-id", "222"});
  const auto run = run_binary(fmt::format("raw get k --pd {},{}", first.pd_address(), second.pd_address()));
  BOOST_TEST(run.exit_code == 2, run.output);
  BOOST_TEST(run.output.find("different clusters") != std::string::npos, run.output);
  BOOST_TEST(run.output.find(first.pd_address() + " to cluster 111") != std::string::npos, run.output);
  BOOST_TEST(run.output.find(second.pd_address() + " to cluster 222") != std::string::npos, run.output);
}

BOOST_AUTO_TEST_CASE(an_endpoint_that_does_not_answer_at_start_is_not_fatal) {
  MockProcess mock(TIKV_BENCH_PATH, 1, {"--pd-members", "3"});
  mock.command("stop-pd 3");
  const auto put = run_binary(fmt::format("raw put k v --pd {}", mock.pd_list()));
  BOOST_TEST(put.exit_code == 0, put.output);
}

BOOST_AUTO_TEST_CASE(a_keyspace_is_found_by_name_and_refused_unless_enabled) {
  MockProcess mock(TIKV_BENCH_PATH, 1, {"--api-version", "v2", "--keyspace", "bench=7", "--keyspace", "off"});
  mock.command("keyspace-state off disabled");
  const auto pd = mock.pd_address();
  const auto raw = [&](const std::string& args) { return run_binary(fmt::format("raw {} --pd {}", args, pd)); };
  BOOST_TEST(raw("put k v --api-version v2 --keyspace bench").exit_code == 0);
  const auto by_name = raw("get k --api-version v2 --keyspace bench");
  BOOST_TEST(by_name.exit_code == 0, by_name.output);
  BOOST_TEST(by_name.output == "v\n");
  BOOST_TEST(raw("get k --api-version v2 --keyspace-id 7").output == "v\n");
  BOOST_TEST(raw("get k --api-version v2").exit_code == 1);  // DEFAULT: not there
  for (const auto& [args, needle] : std::vector<std::pair<std::string, std::string>>{
           {"get k --api-version v2 --keyspace nope", "--keyspace nope: PD has no such keyspace"},
           {"get k --api-version v2 --keyspace off", "--keyspace off: the keyspace is DISABLED in PD"},
           {"get k --api-version v2 --keyspace bench --keyspace-id 7", "--keyspace and --keyspace-id"},
           {"get k --keyspace bench", "--keyspace needs --api-version v2"},
       }) {
    const auto run = raw(args);
    BOOST_TEST(run.exit_code == 2, args << ": " << run.output);
    BOOST_TEST(run.output.find(needle) != std::string::npos, args << ": " << run.output);
  }
}

BOOST_AUTO_TEST_SUITE_END()
