// The HdrHistogram log we write, read back by an independent implementation
// of the format: hdr-histogram-js, installed by .ci/install-deps into
// test/js/node_modules (npm). Where node or the module is missing, the test
// is skipped (a failed precondition; meson reports the suite as SKIP).
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/run_log.h"

// A suite of the one test executable; meson runs it as "hdr_interop".
BOOST_AUTO_TEST_SUITE(hdr_interop_test)

using namespace tikvbench;
using namespace std::chrono_literals;

namespace {

const std::string kJsDir = std::string(TEST_DATA_DIR) + "/../js";

bool have_reader() {
  return std::filesystem::exists(kJsDir + "/node_modules/hdr-histogram-js") && std::system("node --version >/dev/null 2>&1") == 0;
}

std::string run_reader(const std::string& log) {
  std::string output;
  FILE* pipe = popen(fmt::format("node {}/read_hlog.js {}", kJsDir, log).c_str(), "r");
  BOOST_REQUIRE(pipe);
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe)) output += buffer;
  BOOST_REQUIRE(pclose(pipe) == 0);
  return output;
}

}  // namespace

boost::test_tools::assertion_result reader_installed(boost::unit_test::test_unit_id) {
  boost::test_tools::assertion_result installed(have_reader());
  installed.message() << "no node or hdr-histogram-js (run .ci/install-deps)";
  return installed;
}

BOOST_AUTO_TEST_CASE(hdr_histogram_js_reads_our_log_to_the_same_figures,
                     *boost::unit_test::precondition(reader_installed)) {
  const auto path = std::filesystem::temp_directory_path() / "tikv_bench_interop.hlog";
  std::ofstream out(path);
  report::RunLog log(std::chrono::system_clock::now(), report::RunLogOutputs{&out});
  std::vector<measure::Figures> intervals(3);
  measure::Figures all;
  int64_t value = 1;
  for (auto& figures : intervals) {
    auto& read = figures.ops[static_cast<size_t>(measure::OpType::kRead)];
    read.ok_intended = measure::make_latency_histogram();
    read.ok_service = measure::make_latency_histogram();
    for (int i = 0; i < 5000; ++i, value = value * 7 % 1'000'003) {
      read.ok_intended->record(value + 100);
      read.ok_service->record(value / 2 + 50);
    }
    read.count = 5000;
  }
  for (size_t i = 0; i < intervals.size(); ++i) {
    log.add(std::chrono::seconds(i + 1), 1s, "main", false, 0, intervals[i]);
    all.merge(intervals[i]);
  }
  out.close();
  BOOST_REQUIRE(!out.fail());
  const auto read = nlohmann::json::parse(run_reader(path.string()));
  BOOST_TEST(read["intervals"].get<int>() == 6);  // 3 x (read, read.service)
  const auto& ours = *all.ops[static_cast<size_t>(measure::OpType::kRead)].ok_intended;
  const auto& theirs = read["tags"]["read"];
  BOOST_TEST(theirs["count"].get<int64_t>() == ours.total_count());
  BOOST_TEST(theirs["p50"].get<int64_t>() == ours.value_at_percentile(50));
  BOOST_TEST(theirs["p99"].get<int64_t>() == ours.value_at_percentile(99));
  BOOST_TEST(theirs["max"].get<int64_t>() == ours.max());
  const auto& service = *all.ops[static_cast<size_t>(measure::OpType::kRead)].ok_service;
  BOOST_TEST(read["tags"]["read.service"]["count"].get<int64_t>() == service.total_count());
  BOOST_TEST(read["tags"]["read.service"]["p99"].get<int64_t>() == service.value_at_percentile(99));
}

BOOST_AUTO_TEST_SUITE_END()  // hdr_interop_test
