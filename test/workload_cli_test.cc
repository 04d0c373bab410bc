// The workload commands of the tikv-bench binary, run as a user runs them:
// load/run against the embedded mock cluster, go-ycsb files unchanged,
// validate and keys, bad input, and a run stopped by SIGTERM.
#define BOOST_TEST_MODULE workload_cli
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "support/run_binary.h"

namespace {

tikvbench::test::BinaryRun run(const std::string& args) { return tikvbench::test::run_binary(args); }

std::string workload(const std::string& name) { return std::string(TEST_DATA_DIR) + "/../../workloads/" + name; }
std::string go_ycsb(const std::string& name) { return std::string(TEST_DATA_DIR) + "/go-ycsb/" + name; }

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(run_without_pd_loads_the_embedded_mock_and_runs_the_mix) {
  const auto result = run(fmt::format("run -P {} --threads 2 --seed 3", workload("workloada.yaml")));
  BOOST_TEST(result.exit_code == 0, result.output);
  BOOST_TEST(result.output.find("INSERT - Takes(s):") != std::string::npos);  // the load
  BOOST_TEST(result.output.find("READ   - Takes(s):") != std::string::npos);
  BOOST_TEST(result.output.find("UPDATE - Takes(s):") != std::string::npos);
  BOOST_TEST(result.output.find("Count: 1000,") != std::string::npos);  // the 1000 records
}

BOOST_AUTO_TEST_CASE(go_ycsb_workload_files_run_unchanged_with_verification) {
  for (const char* name : {"workloada", "workloadb", "workloadc", "workloadd", "workloade", "workloadf"}) {
    const auto result = run(fmt::format("run -P {} -p recordcount=200 -p operationcount=400 -p threadcount=8 --verify",
                                        go_ycsb(name)));
    BOOST_TEST(result.exit_code == 0, name << ": " << result.output);
    BOOST_TEST(result.output.find("lost 0, corrupt 0") != std::string::npos, name << ": " << result.output);
    BOOST_TEST(result.output.find("_ERROR") == std::string::npos, name << ": " << result.output);
  }
}

BOOST_AUTO_TEST_CASE(keys_prints_go_ycsb_keys_deterministically) {
  const auto first = run(fmt::format("keys {} --count 50 --seed 11", go_ycsb("workloada")));
  const auto second = run(fmt::format("keys {} --count 50 --seed 11", go_ycsb("workloada")));
  BOOST_TEST(first.exit_code == 0);
  BOOST_TEST(first.output == second.output);
  BOOST_TEST(count_of(first.output, "usertable:user") == 50u);
  const auto ordered = run(fmt::format("keys {} --count 5 -p insertorder=ordered -p zeropadding=6 "
                                       "-p requestdistribution=sequential",
                                       go_ycsb("workloadc")));
  BOOST_TEST(ordered.output == "read usertable:user000000\nread usertable:user000001\nread usertable:user000002\n"
                               "read usertable:user000003\nread usertable:user000004\n");
}

BOOST_AUTO_TEST_CASE(validate_prints_a_workload_that_validates_again) {
  const auto first = run(fmt::format("validate {}", go_ycsb("workloade")));
  BOOST_TEST(first.exit_code == 0, first.output);
  BOOST_TEST(first.output.find("scan: 0.95") != std::string::npos);
  const auto path = "/tmp/tikv_bench_validated.yaml";
  std::FILE* out = std::fopen(path, "w");
  std::fputs(first.output.c_str(), out);
  std::fclose(out);
  const auto second = run(fmt::format("validate {}", path));
  BOOST_TEST(second.exit_code == 0, second.output);
  // The name comes from the file; everything else must match.
  BOOST_TEST(second.output.substr(second.output.find('\n')) == first.output.substr(first.output.find('\n')));
}

BOOST_AUTO_TEST_CASE(bad_workloads_exit_2_with_one_line_naming_the_place) {
  const auto yaml = "/tmp/tikv_bench_bad.yaml";
  std::FILE* out = std::fopen(yaml, "w");
  std::fputs("keyspace:\n  records: 10\nphases:\n  - {rate: 100}\n", out);
  std::fclose(out);
  auto result = run(fmt::format("run -P {}", yaml));
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(result.output == fmt::format("tikv-bench: {}:4:5: phase 'phase1' has no duration\n", yaml));
  const auto props = "/tmp/tikv_bench_bad.properties";
  out = std::fopen(props, "w");
  std::fputs("recordcount=10\nworkload=site.ycsb.workloads.TimeSeriesWorkload\n", out);
  std::fclose(out);
  result = run(fmt::format("run -P {}", props));
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(result.output.starts_with(fmt::format("tikv-bench: {}:2:", props)), result.output);
  result = run(fmt::format("run -P {} --shard 3/2", workload("workloada.yaml")));
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(result.output.find("--shard") != std::string::npos);
  result = run(fmt::format("run -P {} --duration soon", workload("workloada.yaml")));
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(result.output.find("--duration") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sigterm_stops_the_run_prints_the_summary_and_exits_143) {
  int pipe_fds[2];
  BOOST_REQUIRE(pipe(pipe_fds) == 0);
  const pid_t child = fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    const auto file = workload("workloadc.yaml");
    execl(TIKV_BENCH_PATH, TIKV_BENCH_PATH, "run", "-P", file.c_str(), "-p", "operationcount=0", "--duration", "1h", "--status-interval",
          "100ms", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fds[1]);
  FILE* output = fdopen(pipe_fds[0], "r");
  std::string text;
  std::array<char, 4096> line{};
  // Wait for the run phase's first status line, then ask it to stop.
  bool signalled = false;
  while (fgets(line.data(), line.size(), output)) {
    text += line.data();
    if (!signalled && std::string(line.data()).find("[main]") != std::string::npos) {
      kill(child, SIGTERM);
      signalled = true;
    }
  }
  fclose(output);
  int status = 0;
  waitpid(child, &status, 0);
  BOOST_TEST(signalled);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 143, text);
  BOOST_TEST(text.find("READ   - Takes(s):") != std::string::npos, text);
}
