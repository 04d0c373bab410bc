// bench/find-max-rate.sh against a mock cluster whose capacity is known: one
// store answering every request after 10 ms, at most 20 requests in flight,
// so about 2,000 ops/s. Rising in steps of 2,000 from 1,000 ops/s, the script
// must report 1,000 (half the capacity, so a busy machine still holds it) as
// the highest rate held and stop at 3,000.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "support/mock_process.h"
#include "support/run_binary.h"

// A suite of the one test executable; meson runs it as "ramp_script".
BOOST_AUTO_TEST_SUITE(ramp_script_test)

BOOST_AUTO_TEST_CASE(the_script_reports_the_highest_rate_the_cluster_held) {
  tikvbench::test::MockProcess mock(TIKV_BENCH_PATH, 1, {"--latency", "10ms"});
  const std::string workload = "/tmp/tikv_bench_ramp.yaml";
  std::ofstream(workload) << "keyspace: {records: 200}\nvalues: {fields: 1, field_length: 10}\nmix: {read: 1}\n"
                             "load: {concurrency: 16, max_inflight: 20}\n";
  const auto load = tikvbench::test::run_binary(fmt::format("load -P {} --pd {}", workload, mock.pd_address()));
  BOOST_REQUIRE_MESSAGE(load.exit_code == 0, load.output);

  const auto script = std::string(TEST_DATA_DIR) + "/../../bench/find-max-rate.sh";
  const auto command = fmt::format(
      "TIKV_BENCH={} bash {} -P {} --pd {} --start 1000 --step 8000 --max 9000 --duration 2s "
      "--threshold 'p99<500ms' 2>&1",
      TIKV_BENCH_PATH, script, workload, mock.pd_address());
  FILE* pipe = popen(command.c_str(), "r");
  BOOST_REQUIRE(pipe);
  std::string output;
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe)) output += buffer.data();
  const int status = pclose(pipe);
  BOOST_TEST(WEXITSTATUS(status) == 0, output);
  BOOST_TEST(output.find("rate 1000 ops/s: held") != std::string::npos, output);
  // 20 in flight at 10 ms each hold about 2,000 ops/s: at 9,000 ops/s the
  // starts fall behind by seconds, far past the threshold, on any machine.
  BOOST_TEST(output.find("rate 9000 ops/s: failed") != std::string::npos, output);
  BOOST_TEST(output.find("highest rate held: 1000 ops/s") != std::string::npos, output);
}

BOOST_AUTO_TEST_CASE(the_script_refuses_bad_usage_with_exit_2) {
  const auto script = std::string(TEST_DATA_DIR) + "/../../bench/find-max-rate.sh";
  BOOST_TEST(std::system(fmt::format("bash {} --pd x >/dev/null 2>&1", script).c_str()) >> 8 == 2);
  BOOST_TEST(std::system(fmt::format("bash {} -P w.yaml --step 0 >/dev/null 2>&1", script).c_str()) >> 8 == 2);
}

BOOST_AUTO_TEST_SUITE_END()  // ramp_script_test
