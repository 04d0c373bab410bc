// The tikv-bench binary: exit codes and one-line errors, run as a user would.
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "util/output_file.h"
#include "support/run_binary.h"

#include "support/cluster_fixture.h"
#include "support/silent_server.h"

// A suite of the one test executable; meson runs it as "cli".
BOOST_AUTO_TEST_SUITE(cli_test)

namespace {

tikvbench::test::BinaryRun run(const std::string& args) { return tikvbench::test::run_binary(args); }

size_t lines(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

BOOST_AUTO_TEST_CASE(an_appending_file_shows_up_whole_on_publish_or_not_at_all) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "tikv_bench_appending";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto target = (dir / "run.hlog").string();
  const auto files_in_dir = [&] { return std::distance(fs::directory_iterator(dir), fs::directory_iterator()); };
  {
    tikvbench::AppendingFile file(target, "--hdr-log");
    file.stream() << "first\n" << std::flush;
    file.stream() << "second\n" << std::flush;
    BOOST_TEST(!fs::exists(target));  // only the temporary file so far
    BOOST_TEST(files_in_dir() == 1);
    file.publish();
  }
  std::ifstream in(target);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(text == "first\nsecond\n");
  BOOST_TEST(files_in_dir() == 1);  // the target alone
  {
    tikvbench::AppendingFile unpublished((dir / "other.hlog").string(), "--hdr-log");
    unpublished.stream() << "lost\n" << std::flush;
  }
  BOOST_TEST(files_in_dir() == 1);  // removed, and the target untouched
  try {
    tikvbench::AppendingFile nowhere((dir / "missing" / "run.hlog").string(), "--hdr-log");
    BOOST_FAIL("opened a file in a missing directory");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()).starts_with("--hdr-log " + (dir / "missing" / "run.hlog").string() + ": cannot write"),
               e.what());
  }
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_mock_cluster_on_a_port_in_use_exits_4_naming_it_and_why) {
  tikvbench::mock::MockCluster taken(tikvbench::test::small_cluster_options());
  // EOF on stdin stops a mock that did start anyway, so the test cannot hang.
  const auto pd = taken.pd_address();
  auto result = run(fmt::format("mock-cluster --pd {} --stores 1 --exit-on-eof < /dev/null", pd));
  BOOST_TEST(result.exit_code == 4, result.output);
  BOOST_TEST(result.output == fmt::format("tikv-bench mock-cluster: PD: cannot listen on {}: already in use\n", pd));

  const auto store = taken.store_address(1);
  const auto store_port = store.substr(store.rfind(':') + 1);
  result = run(fmt::format("mock-cluster --pd 127.0.0.1:0 --stores 1 --store-ports {} --exit-on-eof < /dev/null",
                           store_port));
  BOOST_TEST(result.exit_code == 4, result.output);
  BOOST_TEST(result.output == fmt::format("tikv-bench mock-cluster: store 1: cannot listen on {}: already in use\n", store),
             result.output);
}

BOOST_AUTO_TEST_CASE(version_and_help_work) {
  const auto version = run("--version");
  BOOST_TEST(version.exit_code == 0);
  BOOST_TEST(version.output.starts_with("tikv-bench "));
  BOOST_TEST(run("--help").exit_code == 0);
  BOOST_TEST(run("raw --help").output.find("--transport") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_pd_that_never_answers_exits_3_after_the_connect_timeout) {
  tikvbench::test::SilentServer silent;
  const auto endpoint = silent.address();
  const auto result = run(fmt::format("raw get k --pd {} --connect-timeout 1500ms", endpoint));
  BOOST_TEST(result.exit_code == 3);
  BOOST_TEST(lines(result.output) == 1u, result.output);
  BOOST_TEST(result.output.find(endpoint) != std::string::npos);
  BOOST_TEST(result.output.find("no PD answered within 1.5s") != std::string::npos, result.output);
}

BOOST_AUTO_TEST_CASE(bad_flags_exit_2_with_one_line_naming_the_flag) {
  for (const char* args : {"raw get k --pd nonsense", "raw get k --timeout 5", "raw get k --transport carrier-pigeon",
                           "raw get k --pd 127.0.0.1:1 --ca /nonexistent.pem", "mock-cluster --chaos merge=1s",
                           "mock-cluster --latency soon", "frobnicate"}) {
    const auto result = run(args);
    BOOST_TEST(result.exit_code == 2, args << " -> " << result.exit_code << ": " << result.output);
    BOOST_TEST(lines(result.output) == 1u, args << ": " << result.output);
  }
}

BOOST_AUTO_TEST_CASE(raw_commands_work_against_a_mock_cluster) {
  tikvbench::test::ClusterFixture fixture;
  const auto pd = fixture.cluster.pd_address();
  BOOST_TEST(run(fmt::format("raw put --pd {} greeting hello", pd)).exit_code == 0);
  const auto got = run(fmt::format("raw get --pd {} greeting", pd));
  BOOST_TEST(got.exit_code == 0);
  BOOST_TEST(got.output == "hello\n");
  const auto missing = run(fmt::format("raw get --pd {} nothing", pd));
  BOOST_TEST(missing.exit_code == 1);
  BOOST_TEST(run(fmt::format("raw put --pd {} --transport unary other world", pd)).exit_code == 0);
  const auto scan = run(fmt::format("raw scan --pd {} a", pd));
  BOOST_TEST(scan.output == "greeting\thello\nother\tworld\n");
  BOOST_TEST(run(fmt::format("raw delete-range --pd {} a z", pd)).exit_code == 0);
  BOOST_TEST(run(fmt::format("raw scan --pd {} a", pd)).output.empty());
}

BOOST_AUTO_TEST_SUITE_END()  // cli_test
