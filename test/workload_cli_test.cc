// The workload commands of the tikv-bench binary, run as a user runs them:
// load/run against the embedded mock cluster, go-ycsb files unchanged,
// validate and keys, bad input, and a run stopped by SIGTERM.
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/mock_process.h"
#include "support/run_binary.h"

// A suite of the one test executable; meson runs it as "workload_cli".
BOOST_AUTO_TEST_SUITE(workload_cli_test)

namespace {

tikvbench::test::BinaryRun run(const std::string& args) { return tikvbench::test::run_binary(args); }

std::string workload(const std::string& name) { return std::string(TEST_DATA_DIR) + "/../../workloads/" + name; }

// Runs tikv-bench with `args`, sends it SIGTERM at the run phase's first
// status line, and returns its output and exit code (-1: not exited).
struct SignalledRun {
  bool signalled = false;
  int exit_code = -1;
  std::string output;
};
SignalledRun run_until_sigterm(std::vector<std::string> args) {
  SignalledRun result;
  int pipe_fds[2];
  BOOST_REQUIRE(pipe(pipe_fds) == 0);
  const pid_t child = fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    args.insert(args.begin(), TIKV_BENCH_PATH);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(TIKV_BENCH_PATH, argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  FILE* output = fdopen(pipe_fds[0], "r");
  std::array<char, 4096> line{};
  while (fgets(line.data(), line.size(), output)) {
    result.output += line.data();
    if (!result.signalled && std::string(line.data()).find("[main]") != std::string::npos) {
      kill(child, SIGTERM);
      result.signalled = true;
    }
  }
  fclose(output);
  int status = 0;
  waitpid(child, &status, 0);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}
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
  BOOST_TEST(result.output.find("loaded 1000 records (0 errors)") != std::string::npos, result.output);
  BOOST_TEST(result.output.find("READ   - Takes(s):") != std::string::npos);
  BOOST_TEST(result.output.find("UPDATE - Takes(s):") != std::string::npos);
  BOOST_TEST(result.output.find("run: workloada: 1000 operations") != std::string::npos, result.output);
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
  std::filesystem::remove("/tmp/tikv_bench_sigterm.json");
  std::filesystem::remove("/tmp/tikv_bench_sigterm.hlog");
  std::filesystem::remove("/tmp/tikv_bench_sigterm.csv");
  const auto file = workload("workloadc.yaml");
  const auto stopped = run_until_sigterm({"run", "-P", file, "-p", "operationcount=0", "--duration", "1h",
                                      "--status-interval", "100ms", "--json", "/tmp/tikv_bench_sigterm.json",
                                      "--hdr-log", "/tmp/tikv_bench_sigterm.hlog", "--csv",
                                      "/tmp/tikv_bench_sigterm.csv"});
  const auto& text = stopped.output;
  BOOST_TEST(stopped.signalled);
  BOOST_TEST(stopped.exit_code == 143, text);
  BOOST_TEST(text.find("READ   - Takes(s):") != std::string::npos, text);
  // The reports are written too.
  const auto json = nlohmann::json::parse(std::ifstream("/tmp/tikv_bench_sigterm.json"));
  BOOST_TEST(json["total"]["count"].get<uint64_t>() > 0u);
  // The HdrHistogram log and the CSV, written as the run went, are published whole.
  std::ifstream hlog("/tmp/tikv_bench_sigterm.hlog");
  const std::string log_text((std::istreambuf_iterator<char>(hlog)), std::istreambuf_iterator<char>());
  BOOST_TEST(log_text.starts_with("#[tikv-bench"), log_text.substr(0, 200));
  BOOST_TEST(log_text.find("Tag=read,") != std::string::npos);
  std::ifstream csv("/tmp/tikv_bench_sigterm.csv");
  const std::string csv_text((std::istreambuf_iterator<char>(csv)), std::istreambuf_iterator<char>());
  BOOST_TEST(csv_text.starts_with("t_s,"), csv_text.substr(0, 200));
  BOOST_TEST(csv_text.find(",main,0,read,") != std::string::npos, csv_text.substr(0, 400));
  for (const auto& entry : std::filesystem::directory_iterator("/tmp")) {
    const auto name = entry.path().filename().string();
    const bool leftover = name.starts_with("tikv_bench_sigterm.") && name.find(".tmp") != std::string::npos;
    BOOST_TEST(!leftover, name);
  }
}

// A SIGTERM whose grace time runs out: the operations still in flight
// (their replies never come) are cancelled, the run returns, writes its
// reports and exits 143; they count as cancelled, not as errors.
BOOST_AUTO_TEST_CASE(sigterm_past_the_grace_time_cancels_what_is_in_flight_and_reports_it) {
  const std::string json_path = "/tmp/tikv_bench_cancelled.json";
  std::filesystem::remove(json_path);
  tikvbench::test::MockProcess mock(TIKV_BENCH_PATH, 1);
  const auto file = workload("workloadc.yaml");
  const auto loaded = run(fmt::format("load -P {} -p recordcount=100 --pd {}", file, mock.pd_address()));
  BOOST_REQUIRE_MESSAGE(loaded.exit_code == 0, loaded.output);
  mock.command("lose-replies 1000000");
  const auto stopped = run_until_sigterm({"run", "-P", file, "-p", "recordcount=100", "-p", "operationcount=0", "--pd",
                                      mock.pd_address(), "--threads", "4", "--duration", "1h", "--status-interval",
                                      "100ms", "--grace", "200ms", "--json", json_path});
  const auto& text = stopped.output;
  BOOST_TEST(stopped.signalled);
  BOOST_TEST(stopped.exit_code == 143, text);
  BOOST_TEST(text.find("cancelled: 4 operations still in flight") != std::string::npos, text);
  const auto json = nlohmann::json::parse(std::ifstream(json_path));
  BOOST_TEST(json["total"]["cancelled"].get<uint64_t>() == 4u);
  BOOST_TEST(json["total"]["errors"].get<uint64_t>() == 0u);
  BOOST_TEST(json["ops"]["read"]["cancelled"].get<uint64_t>() == 4u);
  mock.command("lose-replies 0");
}

BOOST_AUTO_TEST_CASE(a_run_writes_every_report_and_they_merge_and_render) {
  const std::string dir = "/tmp/tikv_bench_reports";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto result =
      run(fmt::format("run -P {} -p operationcount=0 -p target=2000 --duration 2s --seed 5 --json {d}/run.json "
                      "--csv {d}/run.csv --hdr-log {d}/run.hlog --html {d}/run.html --threshold 'read.p99<10s' "
                      "--threshold 'error_rate<1%'",
                      workload("workloada.yaml"), fmt::arg("d", dir)));
  BOOST_TEST(result.exit_code == 0, result.output);
  BOOST_TEST(result.output.find("threshold read.p99<10s: ok") != std::string::npos, result.output);
  const auto json = nlohmann::json::parse(std::ifstream(dir + "/run.json"));
  BOOST_TEST(json["total"]["count"].get<uint64_t>() == 4000u);  // 2 s at 2,000 ops/s
  BOOST_TEST(json["thresholds"].size() == 2u);
  BOOST_TEST(json["intervals"].size() >= 2u);
  std::ifstream csv(dir + "/run.csv");
  std::string header;
  std::getline(csv, header);
  BOOST_TEST(header.starts_with("t_s,"));
  BOOST_TEST(std::filesystem::file_size(dir + "/run.html") > 1000u);
  // No temporary file is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    BOOST_TEST(entry.path().string().find(".tmp") == std::string::npos, entry.path());
  }
  // Two generators' logs merge into one result of both. (A copy of run.hlog
  // would not do: merge refuses the same log twice.)
  const auto other = run(fmt::format("run -P {} -p operationcount=0 -p target=1000 --duration 1s --seed 6 "
                                     "--hdr-log {d}/other.hlog",
                                     workload("workloada.yaml"), fmt::arg("d", dir)));
  BOOST_TEST(other.exit_code == 0, other.output);
  const auto merged =
      run(fmt::format("merge {d}/run.hlog {d}/other.hlog --json {d}/merged.json --html {d}/merged.html", fmt::arg("d", dir)));
  BOOST_TEST(merged.exit_code == 0, merged.output);
  const auto merged_json = nlohmann::json::parse(std::ifstream(dir + "/merged.json"));
  BOOST_TEST(merged_json["total"]["count"].get<uint64_t>() == 5000u);  // 4,000 + 1 s at 1,000 ops/s
  // A saved run renders again.
  const auto rendered = run(fmt::format("report {d}/run.json --html {d}/again.html", fmt::arg("d", dir)));
  BOOST_TEST(rendered.exit_code == 0, rendered.output);
  BOOST_TEST(std::filesystem::file_size(dir + "/again.html") > 1000u);
}

BOOST_AUTO_TEST_CASE(a_failed_threshold_exits_1_and_names_it) {
  const auto result = run(fmt::format("run -P {} --threshold 'read.p50<1us' --threshold 'read.max<1h'",
                                      workload("workloadc.yaml")));
  BOOST_TEST(result.exit_code == 1, result.output);
  BOOST_TEST(result.output.find("threshold read.p50<1us: FAILED") != std::string::npos, result.output);
  BOOST_TEST(result.output.find("threshold read.max<1h: ok") != std::string::npos, result.output);
}

BOOST_AUTO_TEST_CASE(report_flags_that_cannot_work_fail_before_the_run) {
  auto result = run(fmt::format("run -P {} --threshold 'read.p99<<1ms'", workload("workloadc.yaml")));
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(result.output.find("read.p99<<1ms") != std::string::npos, result.output);
  result = run(fmt::format("run -P {} --json /nonexistent/dir/run.json", workload("workloadc.yaml")));
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(result.output.find("--json") != std::string::npos, result.output);
  result = run("report /nonexistent.json --html /tmp/x.html");
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(result.output.find("/nonexistent.json") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_metrics_port_in_use_exits_4_naming_it) {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  BOOST_REQUIRE(listen(listener, 1) == 0);
  socklen_t length = sizeof address;
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);
  const auto result = run(fmt::format("run -P {} --metrics-addr {}", workload("workloadc.yaml"), port));
  close(listener);
  BOOST_TEST(result.exit_code == 4, result.output);
  BOOST_TEST(result.output.find(std::to_string(port)) != std::string::npos, result.output);
}

BOOST_AUTO_TEST_CASE(an_abort_threshold_stops_the_run_early_with_exit_1) {
  const auto result = run(fmt::format("run -P {} -p operationcount=0 --duration 1h --status-interval 100ms "
                                      "--threshold 'read.p50<1us abort after 0s'",
                                      workload("workloadc.yaml")));
  BOOST_TEST(result.exit_code == 1, result.output);
  BOOST_TEST(result.output.find("aborting: threshold 'read.p50<1us abort after 0s'") != std::string::npos,
             result.output);
  BOOST_TEST(result.output.find("READ   - Takes(s):") != std::string::npos);
}

// An HdrHistogram log's span on absolute time: StartTime plus its first
// interval's start, and plus its last interval's end (seconds since epoch).
std::pair<double, double> log_span(const std::string& path) {
  std::ifstream in(path);
  double base = 0, first = 1e300, last = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("#[StartTime: ")) base = std::stod(line.substr(13));
    if (line.empty() || line[0] == '#' || line[0] == '"') continue;
    // Tag=NAME,START,LENGTH,MAX,HISTOGRAM
    std::stringstream fields(line);
    std::string tag, start, length;
    std::getline(fields, tag, ',');
    std::getline(fields, start, ',');
    std::getline(fields, length, ',');
    first = std::min(first, std::stod(start));
    last = std::max(last, std::stod(start) + std::stod(length));
  }
  return {base + first, base + last};
}

BOOST_AUTO_TEST_CASE(sharded_generators_merge_into_one_run) {
  tikvbench::test::MockProcess mock(TIKV_BENCH_PATH, 3);
  const std::string dir = "/tmp/tikv_bench_shards";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto file = workload("workloada.yaml");
  for (int shard = 0; shard < 2; ++shard) {
    const auto load = run(fmt::format("load -P {} --pd {} --shard {}/2", file, mock.pd_address(), shard));
    BOOST_REQUIRE_MESSAGE(load.exit_code == 0, load.output);
  }
  // Two generators at once, each half of 4,000 ops/s for 2 s.
  const auto command = [&](int shard) {
    return fmt::format("{} run -P {} --pd {} --shard {}/2 -p target=4000 -p operationcount=0 --duration 2s "
                       "--hdr-log {}/shard-{}.hlog >/dev/null 2>&1",
                       TIKV_BENCH_PATH, file, mock.pd_address(), shard, dir, shard);
  };
  BOOST_REQUIRE(std::system(fmt::format("{} & {} & wait", command(0), command(1)).c_str()) == 0);
  const auto merged = run(fmt::format("merge {d}/shard-0.hlog {d}/shard-1.hlog --json {d}/all.json", fmt::arg("d", dir)));
  BOOST_REQUIRE_MESSAGE(merged.exit_code == 0, merged.output);
  const auto json = nlohmann::json::parse(std::ifstream(dir + "/all.json"));
  BOOST_TEST(json["total"]["count"].get<uint64_t>() == 8000u);  // 2 x 2,000 ops/s x 2 s
  // On absolute time: the merged run lasts from the first interval's start
  // to the last one's end over both logs (not the sum of their lengths),
  // and its rate is its operations over that.
  double first = 1e300, last = 0;
  for (int shard = 0; shard < 2; ++shard) {
    const auto [start, end] = log_span(fmt::format("{}/shard-{}.hlog", dir, shard));
    first = std::min(first, start);
    last = std::max(last, end);
  }
  BOOST_TEST(json["duration_s"].get<double>() == last - first, boost::test_tools::tolerance(0.01));
  BOOST_TEST(json["total"]["ops_per_sec"].get<double>() == 8000.0 / json["duration_s"].get<double>(),
             boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_SUITE_END()  // workload_cli_test
