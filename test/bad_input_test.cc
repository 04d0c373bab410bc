// Bad input, as users type it: every case must end with one clear line on
// stderr naming the file, line or flag, the documented exit code, no crash,
// no hang, and no report file left behind.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "report/hdr_log.h"
#include "measure/recorder.h"
#include "support/mock_process.h"
#include "support/run_binary.h"
#include "support/silent_server.h"

// A suite of the one test executable; meson runs it as "bad_input".
BOOST_AUTO_TEST_SUITE(bad_input_test)

namespace {

const std::string kDir = "/tmp/tikv_bench_bad_input";

// Writes `text` to kDir/name and returns the path.
std::string file(const std::string& name, const std::string& text) {
  std::filesystem::create_directories(kDir);
  const auto path = kDir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

std::string good() { return file("good.yaml", "keyspace: {records: 10}\nmix: {read: 1}\nrun: {operations: 10}\n"); }

struct Case {
  std::string what;
  std::string args;
  int exit_code;
  std::string needle;  // the line must contain this
};

size_t lines_of(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

void check(const Case& c) {
  const auto report = kDir + "/report.json";
  std::filesystem::remove(report);
  const auto result = tikvbench::test::run_binary(c.args + " --json " + report);
  BOOST_TEST(result.exit_code == c.exit_code, c.what << ": exit " << result.exit_code << ": " << result.output);
  BOOST_TEST(lines_of(result.output) == 1u, c.what << ": " << result.output);
  BOOST_TEST(result.output.starts_with("tikv-bench: "), c.what << ": " << result.output);
  BOOST_TEST(result.output.find(c.needle) != std::string::npos, c.what << ": wanted '" << c.needle << "' in " << result.output);
  BOOST_TEST(!std::filesystem::exists(report), c.what << ": a report was written");
}

}  // namespace

BOOST_AUTO_TEST_CASE(bad_workload_files_exit_2_naming_the_place) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"yaml syntax: unclosed flow", "mix: {read: 1\n"},
      {"yaml syntax: bad indent", "keyspace:\n  records: 10\n bad: 1\n"},
      {"yaml syntax: tab", "keyspace:\n\trecords: 10\n"},
      {"unknown top-level key", "colour: red\nmix: {read: 1}\n"},
      {"unknown nested key", "keyspace: {recods: 10}\n"},
      {"unknown phase key", "phases:\n  - {duration: 1s, rate: 5, speed: 3}\n"},
      {"wrong type: records", "keyspace: {records: many}\n"},
      {"wrong type: keyspace", "keyspace: 5\n"},
      {"wrong type: verify", "verify: sometimes\n"},
      {"wrong type: phases", "phases: {duration: 1s}\n"},
      {"zero rate", "load: {rate: 0}\n"},
      {"negative rate", "load: {rate: -100}\n"},
      {"zero concurrency", "load: {concurrency: 0}\n"},
      {"fractional concurrency", "load: {concurrency: 1.5}\n"},
      {"proportions sum to 0", "mix: {read: 0, update: 0}\n"},
      {"negative proportion", "mix: {read: -1, update: 2}\n"},
      {"phase without duration", "phases:\n  - {rate: 100}\n"},
      {"phase with zero duration", "phases:\n  - {duration: 0s, rate: 100}\n"},
      {"phase without load", "phases:\n  - {duration: 5s}\n"},
      {"ramp without to", "phases:\n  - {duration: 5s, rate: {from: 10}}\n"},
      {"empty steps", "phases:\n  - {duration: 5s, rate: {steps: []}}\n"},
      {"scan length 0", "scan_length: 0\n"},
      {"scan min above max", "scan_length: {distribution: uniform, min: 10, max: 5}\n"},
      {"unknown distribution", "distribution: pareto\n"},
      {"theta of 1", "distribution: {type: zipfian, theta: 1}\n"},
      {"bad duration", "warmup: soon\n"},
      {"bad api version", "cluster: {api_version: v3}\n"},
      {"zero padding 0", "keyspace: {zero_padding: 0}\n"},
  };
  for (size_t i = 0; i < files.size(); ++i) {
    const auto path = file(fmt::format("bad{}.yaml", i), files[i].second);
    // Every message starts with the file's name, most with :line:column.
    check({files[i].first, fmt::format("run -P {}", path), 2, path});
  }
}

BOOST_AUTO_TEST_CASE(bad_properties_files_exit_2_naming_the_line) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"unknown workload class", "recordcount=10\nworkload=site.ycsb.workloads.TimeSeriesWorkload\n"},
      {"not a number", "recordcount=ten\n"},
      {"negative count", "recordcount=-5\n"},
      {"txn driver", "tikv.type=txn\n"},
      {"histogram field lengths", "fieldlengthdistribution=histogram\n"},
      {"unknown request distribution", "requestdistribution=pareto\n"},
      {"bad unicode escape", "keyprefix=\\u12\n"},
  };
  for (size_t i = 0; i < files.size(); ++i) {
    const auto path = file(fmt::format("bad{}.properties", i), files[i].second);
    check({files[i].first, fmt::format("run -P {}", path), 2, path + ":"});
  }
}

BOOST_AUTO_TEST_CASE(bad_flags_and_unreadable_files_exit_2_naming_them) {
  const auto w = good();
  const std::vector<Case> cases = {
      {"missing file", "run -P /nonexistent/w.yaml", 2, "/nonexistent/w.yaml: cannot read"},
      {"a directory", fmt::format("run -P {}", kDir), 2, "is a directory"},
      {"shard 3/2", fmt::format("run -P {} --shard 3/2", w), 2, "--shard"},
      {"shard not I/N", fmt::format("run -P {} --shard two", w), 2, "--shard"},
      {"bad duration flag", fmt::format("run -P {} --duration soon", w), 2, "--duration"},
      {"zero duration flag", fmt::format("run -P {} --duration 0s", w), 2, "--duration"},
      {"negative ops", fmt::format("run -P {} --ops -5", w), 2, "--ops"},
      {"bad status interval", fmt::format("run -P {} --status-interval fast", w), 2, "--status-interval"},
      {"threshold syntax", fmt::format("run -P {} --threshold 'read.p99<<1ms'", w), 2, "read.p99<<1ms"},
      {"threshold metric", fmt::format("run -P {} --threshold 'read.p42<1ms'", w), 2, "read.p42<1ms"},
      {"threshold value", fmt::format("run -P {} --threshold 'p99<10'", w), 2, "p99<10"},
      {"rate % in closed loop", fmt::format("run -P {} --threshold 'rate>=95%'", w), 2, "rate>=95%"},
      {"-p without =", fmt::format("run -P {} -p recordcount", w), 2, "-p"},
      {"-p bad value", fmt::format("run -P {} -p recordcount=lots", w), 2, "recordcount"},
      {"report dir missing", fmt::format("run -P {} --csv /nonexistent/r.csv", w), 2, "--csv"},
      {"missing TLS file", fmt::format("run -P {} --pd 127.0.0.1:1 --ca /nonexistent/ca.pem", w), 2, "/nonexistent/ca.pem"},
      {"bad --pd", fmt::format("run -P {} --pd :::", w), 2, "--pd"},
      {"bad transport", fmt::format("run -P {} --transport pigeon", w), 2, "--transport"},
  };
  for (const auto& c : cases) check(c);
}

BOOST_AUTO_TEST_CASE(bad_mock_cluster_keyspaces_exit_2_naming_them) {
  const std::vector<Case> cases = {
      {"keyspace without a name", "--keyspace =3", 2, "--keyspace '=3'"},
      {"keyspace id not a number", "--keyspace a=x", 2, "--keyspace 'a=x'"},
      {"keyspace id taken", "--keyspace a=1 --keyspace b=1", 2, "id 1 is taken"},
      {"keyspace name taken", "--keyspace DEFAULT", 2, "DEFAULT: the name is taken"},
      {"keyspace id too large", "--keyspace a=16777216", 2, "ids go up to 16777215"},
  };
  for (const auto& c : cases) {
    const auto result = tikvbench::test::run_binary("mock-cluster --pd 127.0.0.1:0 --exit-on-eof " + c.args);
    BOOST_TEST(result.exit_code == c.exit_code, c.what << ": exit " << result.exit_code << ": " << result.output);
    BOOST_TEST(lines_of(result.output) == 1u, c.what << ": " << result.output);
    BOOST_TEST(result.output.find(c.needle) != std::string::npos, c.what << ": wanted '" << c.needle << "' in " << result.output);
  }
}

BOOST_AUTO_TEST_CASE(an_output_file_that_cannot_be_created_is_refused_before_the_run) {
  // /proc passes access(W_OK) for root, yet takes no new file: without the
  // check the run would go on and fail only when writing its report.
  const auto w = good();
  std::ostringstream log_text;
  tikvbench::report::HdrLogWriter writer(log_text);
  auto histogram = tikvbench::measure::make_latency_histogram();
  histogram->record(100);
  BOOST_REQUIRE(writer.write_header(std::chrono::system_clock::now()).ok());
  BOOST_REQUIRE(writer.write_interval("read", std::chrono::seconds(0), std::chrono::seconds(1), *histogram).ok());
  BOOST_REQUIRE(writer.write_interval("read.service", std::chrono::seconds(0), std::chrono::seconds(1), *histogram).ok());
  const auto log = file("run.hlog", log_text.str());
  const auto run = file("run.json", "{}");
  const std::vector<Case> cases = {
      {"--json in /proc", fmt::format("run -P {} --duration 1s --json /proc/nope.json", w), 2, "--json /proc/nope.json: "},
      {"--csv in /proc", fmt::format("run -P {} --duration 1s --csv /proc/foo", w), 2, "--csv /proc/foo: "},
      {"--hdr-log in /proc", fmt::format("run -P {} --duration 1s --hdr-log /proc/x.hlog", w), 2, "--hdr-log /proc/x.hlog: "},
      {"--html in /proc", fmt::format("run -P {} --duration 1s --html /proc/x.html", w), 2, "--html /proc/x.html: "},
      {"merge --json in /proc", fmt::format("merge {} --json /proc/x.json", log), 2, "--json /proc/x.json: "},
      {"merge --html in /proc", fmt::format("merge {} --html /proc/x.html", log), 2, "--html /proc/x.html: "},
      {"report --html in /proc", fmt::format("report {} --html /proc/x.html", run), 2, "--html /proc/x.html: "},
  };
  for (const auto& c : cases) {
    const auto result = tikvbench::test::run_binary(c.args);
    BOOST_TEST(result.exit_code == c.exit_code, c.what << ": exit " << result.exit_code << ": " << result.output);
    BOOST_TEST(lines_of(result.output) == 1u, c.what << ": " << result.output);
    BOOST_TEST(result.output.starts_with("tikv-bench: " + c.needle), c.what << ": " << result.output);
    BOOST_TEST(result.output.find("cannot write in /proc") != std::string::npos, c.what << ": " << result.output);
  }
}

BOOST_AUTO_TEST_CASE(clusters_that_cannot_be_used_give_their_exit_codes) {
  const auto w = good();
  tikvbench::test::SilentServer silent;
  check({"PD that never answers", fmt::format("run -P {} --pd {} --connect-timeout 1s", w, silent.address()), 3,
         silent.address()});
  check({"nothing listening", fmt::format("run -P {} --pd 127.0.0.1:1 --connect-timeout 1s", w), 3, "127.0.0.1:1"});
}

BOOST_AUTO_TEST_CASE(a_pd_of_another_cluster_is_refused_at_once) {
  const auto w = good();
  tikvbench::test::MockProcess mock(TIKV_BENCH_PATH, 1, {"--cluster-id", "4242"});
  check({"PD of another cluster",
         fmt::format("run -P {} --pd {} --cluster-id 17 --connect-timeout 30s", w, mock.pd_address()), 2,
         "belongs to cluster 4242, not 17"});
  const auto raw = tikvbench::test::run_binary(fmt::format("raw get k --pd {} --cluster-id 17", mock.pd_address()));
  BOOST_TEST(raw.exit_code == 2, raw.output);
  BOOST_TEST(lines_of(raw.output) == 1u, raw.output);
  BOOST_TEST(raw.output.find("belongs to cluster 4242, not 17 (--cluster-id)") != std::string::npos, raw.output);
}

BOOST_AUTO_TEST_SUITE_END()  // bad_input_test
