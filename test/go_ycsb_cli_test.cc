// go-ycsb's command lines run unchanged: the database argument, go-ycsb's
// flags (-P/--property_file repeated, -p/--prop, --threads as clients,
// --target, --interval, --table), its properties files where go-ycsb keeps
// them, its interval output, and the embedded cluster said out loud.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "support/mock_process.h"
#include "support/run_binary.h"
#include "support/temp_dir.h"

BOOST_AUTO_TEST_SUITE(go_ycsb_cli_test)

namespace {

using tikvbench::test::BinaryRun;
using tikvbench::test::MockProcess;
using tikvbench::test::read_json;
using tikvbench::test::TempDir;

BinaryRun run(const std::string& args) { return tikvbench::test::run_binary(args); }

std::string workload(const std::string& name) { return tikvbench::test::repo_workload(name); }

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_compose_commands_of_go_ycsb_run_word_for_word) {
  MockProcess mock(TIKV_BENCH_PATH, 3);
  const auto load = run(fmt::format("load tikv -P {} -p tikv.pd=\"{}\" -p tikv.type=\"raw\" -p recordcount=1000 "
                                    "-p threadcount=4",
                                    workload("workloada"), mock.pd_address()));
  BOOST_TEST(load.exit_code == 0, load.output);
  BOOST_TEST(load.output.find("INSERT - Takes(s):") != std::string::npos, load.output);
  BOOST_TEST(load.output.find("OPS: ") != std::string::npos, load.output);
  const auto result = run(fmt::format("run tikv -P {} -p tikv.pd=\"{}\" -p tikv.type=\"raw\" -p operationcount=1000 "
                                      "-p threadcount=4",
                                      workload("workloada"), mock.pd_address()));
  BOOST_TEST(result.exit_code == 0, result.output);
  BOOST_TEST(result.output.find("READ   - Takes(s):") != std::string::npos, result.output);
  BOOST_TEST(result.output.find("UPDATE - Takes(s):") != std::string::npos, result.output);
  BOOST_TEST(result.output.find("run: workloada: 1000 operations") != std::string::npos, result.output);
  // A tikv.pd property counts as --pd: no embedded cluster.
  BOOST_TEST(result.output.find("embedded mock") == std::string::npos, result.output);
}

BOOST_AUTO_TEST_CASE(another_database_or_txn_is_refused_in_one_line) {
  const auto mysql = run(fmt::format("run mysql -P {}", workload("workloada")));
  BOOST_TEST(mysql.exit_code == tikvbench::kExitUsage, mysql.output);
  BOOST_TEST(mysql.output.find("drives TiKV only") != std::string::npos, mysql.output);
  BOOST_TEST(count_of(mysql.output, "\n") == 1u, mysql.output);
  const auto txn = run(fmt::format("load tikv -P {} -p tikv.type=txn", workload("workloada")));
  BOOST_TEST(txn.exit_code == tikvbench::kExitUsage, txn.output);
  BOOST_TEST(txn.output.find("'txn' is not supported") != std::string::npos, txn.output);
}

BOOST_AUTO_TEST_CASE(threads_are_clients_and_loops_are_event_loops) {
  TempDir dir("goycsb_threads");
  const auto closed = run(fmt::format("run tikv -P {} --threads 7 --loops 1 --ops 500 --json {}", workload("workloada"),
                                      dir.file("run.json")));
  BOOST_TEST(closed.exit_code == 0, closed.output);
  auto doc = read_json(dir.file("run.json"));
  BOOST_TEST(doc["cluster"]["threads"].get<size_t>() == 7u);
  BOOST_TEST(doc["cluster"]["loops"].get<size_t>() == 1u);
  // With a target, the threads cap the operations in flight.
  const auto open = run(fmt::format("run tikv -P {} --threads 5 --target 400 --duration 1s --json {}",
                                    workload("workloada"), dir.file("run.json")));
  BOOST_TEST(open.exit_code == 0, open.output);
  doc = read_json(dir.file("run.json"));
  BOOST_TEST(doc["cluster"]["threads"].get<size_t>() == 5u);
  BOOST_TEST(doc["phases"][0]["target_ops_per_sec"].get<double>() == 400.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(doc["phases"][0]["count"].get<uint64_t>() == 400u);
  // On a YAML workload: constant closed-loop phases run that many clients,
  // and open loop is capped there unless the workload set max_inflight.
  const auto spec = dir.file("yt.yaml",
                             "name: yt\nkeyspace: {records: 100}\nmix: {read: 1}\nphases:\n"
                             "  - {name: c, duration: 500ms, concurrency: 4}\n  - {name: o, duration: 500ms, rate: 100}\n");
  const auto yaml = run(fmt::format("run -P {} --threads 9 --json {}", spec, dir.file("run.json")));
  BOOST_TEST(yaml.exit_code == 0, yaml.output);
  doc = read_json(dir.file("run.json"));
  BOOST_TEST(doc["cluster"]["threads"].get<size_t>() == 9u);
  BOOST_TEST(doc["phases"][0]["from"].get<double>() == 9.0);
  BOOST_TEST(doc["workload"]["spec"].get<std::string>().find("max_inflight: 9\n") != std::string::npos);
  // The flags win over -p, as in go-ycsb.
  const auto both = run(fmt::format("run tikv -P {} -p threadcount=2 --threads 3 --ops 100 --json {}",
                                    workload("workloada"), dir.file("run.json")));
  BOOST_TEST(read_json(dir.file("run.json"))["cluster"]["threads"].get<size_t>() == 3u, both.output);
}

BOOST_AUTO_TEST_CASE(property_files_merge_in_order_and_the_table_flag_names_the_table) {
  TempDir dir("goycsb_merge");
  const auto reads = dir.file("reads", "readproportion=1\nupdateproportion=0\n");
  const auto result = run(fmt::format("run tikv --property_file {} -P {} --prop operationcount=300 --table things "
                                      "--json {}",
                                      workload("workloada"), reads, dir.file("run.json")));
  BOOST_TEST(result.exit_code == 0, result.output);
  const auto doc = read_json(dir.file("run.json"));
  BOOST_TEST(doc["ops"].contains("read"));
  BOOST_TEST(!doc["ops"].contains("update"));
  BOOST_TEST(doc["total"]["count"].get<uint64_t>() == 300u);
  BOOST_TEST(doc["workload"]["spec"].get<std::string>().find("table: things") != std::string::npos);
  // A YAML workload stays one file.
  const auto yaml = run(fmt::format("run -P {} -P {}", workload("workloada.yaml"), reads));
  BOOST_TEST(yaml.exit_code == tikvbench::kExitUsage, yaml.output);
  BOOST_TEST(yaml.output.find("YAML workload is one file") != std::string::npos, yaml.output);
}

BOOST_AUTO_TEST_CASE(interval_and_go_ycsb_status_lines) {
  // go-ycsb's --interval in seconds, or a duration; its cumulative lines on stdout.
  const auto seconds = run(fmt::format("run tikv -P {} --interval 1 --duration 2s --status-format go-ycsb 2>/dev/null",
                                       workload("workloadc")));
  BOOST_TEST(seconds.exit_code == 0, seconds.output);
  // One line per interval (at least the first, at 1 s) and the final one.
  BOOST_TEST(count_of(seconds.output, "READ   - Takes(s): ") >= 2u, seconds.output);
  const auto duration = run(fmt::format("run tikv -P {} --interval 500ms --duration 1s --plain-status",
                                        workload("workloadc")));
  BOOST_TEST(duration.exit_code == 0, duration.output);
  BOOST_TEST(count_of(duration.output, "[main]") >= 2u, duration.output);
  const auto bad = run(fmt::format("run tikv -P {} --interval soon", workload("workloadc")));
  BOOST_TEST(bad.exit_code == tikvbench::kExitUsage, bad.output);
  BOOST_TEST(bad.output.find("--interval") != std::string::npos, bad.output);
}

BOOST_AUTO_TEST_CASE(a_flag_typo_gets_a_suggestion) {
  const auto result = run(fmt::format("run -P {} --duraton 5s", workload("workloada")));
  BOOST_TEST(result.exit_code == tikvbench::kExitUsage, result.output);
  BOOST_TEST(result.output.find("did you mean --duration?") != std::string::npos, result.output);
  const auto far = run(fmt::format("run -P {} --zzzzzzzz 5s", workload("workloada")));
  BOOST_TEST(far.exit_code == tikvbench::kExitUsage, far.output);
  BOOST_TEST(far.output.find("did you mean") == std::string::npos, far.output);
}

BOOST_AUTO_TEST_CASE(the_embedded_cluster_is_unmistakable) {
  const auto help = run("run --help");
  BOOST_TEST(help.output.find("127.0.0.1:2379") == std::string::npos, help.output);
  BOOST_TEST(help.output.find("embedded mock cluster") != std::string::npos, help.output);
  BOOST_TEST(run("raw --help").output.find("--pd TEXT=127.0.0.1:2379") != std::string::npos);  // raw keeps its default
  TempDir dir("goycsb_embedded");
  const auto result = run(fmt::format("run tikv -P {} --ops 100 --json {} --html {}", workload("workloadc"),
                                      dir.file("run.json"), dir.file("run.html")));
  BOOST_TEST(result.exit_code == 0, result.output);
  BOOST_TEST(result.output.find("running against the embedded mock cluster") != std::string::npos, result.output);
  BOOST_TEST(result.output.find("cluster: the embedded mock cluster") != std::string::npos, result.output);
  BOOST_TEST(read_json(dir.file("run.json"))["cluster"]["embedded_mock"].get<bool>());
  std::ifstream html(dir.file("run.html"));
  const std::string page((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
  BOOST_TEST(page.find("embedded mock (no --pd)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_standard_workloads_are_there_as_go_ycsb_names_them) {
  for (const char* name : {"workloada", "workloadb", "workloadc", "workloadd", "workloade", "workloadf"}) {
    const auto properties = run(fmt::format("validate {}", workload(name)));
    const auto yaml = run(fmt::format("validate {}.yaml", workload(name)));
    BOOST_TEST(properties.exit_code == 0, name << ": " << properties.output);
    // The same mix as the YAML equivalent.
    const auto mix = [](const std::string& text) {
      const auto at = text.find("mix:");
      return at == std::string::npos ? std::string() : text.substr(at, text.find("\n", text.find("batch_put", at)) - at);
    };
    BOOST_TEST(!mix(properties.output).empty(), name);
    BOOST_TEST(mix(properties.output) == mix(yaml.output), name << "\n" << properties.output << "\n" << yaml.output);
  }
}

BOOST_AUTO_TEST_SUITE_END()  // go_ycsb_cli_test
