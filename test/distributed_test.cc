// A distributed run's pieces, with shards as processes against one
// `tikv-bench mock-cluster`: the load barrier through the cluster (one shard
// late), the results each shard keeps there, and `merge --pd --run-id`
// fetching, merging and cleaning them up. What docs/distributed.md's
// Kubernetes walkthrough relies on, without a container engine.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/exit_codes.h"
#include "support/mock_process.h"
#include "support/run_binary.h"
#include "support/temp_dir.h"

BOOST_AUTO_TEST_SUITE(distributed_test)

namespace {

using tikvbench::test::MockProcess;
using tikvbench::test::TempDir;

tikvbench::test::BinaryRun run(const std::string& args) { return tikvbench::test::run_binary(args); }

// A tikv-bench process whose output is read as it comes.
class Child {
 public:
  explicit Child(const std::string& args)
      : pipe_(popen(fmt::format("{} {} 2>&1", TIKV_BENCH_PATH, args).c_str(), "r")) {
    BOOST_REQUIRE(pipe_ != nullptr);
  }
  ~Child() {
    if (pipe_ != nullptr) pclose(pipe_);
  }
  // Reads until a line holds `text`; false when the output ended first.
  bool wait_for(const std::string& text) {
    char buffer[4096];
    while (fgets(buffer, sizeof buffer, pipe_) != nullptr) {
      output_ += buffer;
      if (std::string(buffer).find(text) != std::string::npos) return true;
    }
    return false;
  }
  // Reads the rest; the exit code.
  int finish() {
    char buffer[4096];
    while (fgets(buffer, sizeof buffer, pipe_) != nullptr) output_ += buffer;
    const int status = pclose(pipe_);
    pipe_ = nullptr;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& output() const { return output_; }

 private:
  FILE* pipe_;
  std::string output_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(shards_wait_for_a_late_load_keep_their_results_in_the_cluster_and_merge) {
  MockProcess mock(TIKV_BENCH_PATH, 3);
  TempDir dir("distributed");
  const auto workload = tikvbench::test::repo_workload("workloadc.yaml");
  const auto common = fmt::format("-P {} --pd {} --run-id r1 --plain-status", workload, mock.pd_address());
  for (int shard : {0, 1}) {
    const auto load = run(fmt::format("load {} --shard {}/3", common, shard));
    BOOST_TEST_REQUIRE(load.exit_code == 0, load.output);
  }
  std::vector<std::unique_ptr<Child>> runs;
  for (int shard = 0; shard < 3; ++shard) {
    runs.push_back(std::make_unique<Child>(fmt::format("run {} --shard {}/3 --ops 100", common, shard)));
  }
  // Every run waits at the barrier for the late shard.
  for (auto& child : runs) {
    BOOST_TEST_REQUIRE(child->wait_for("waiting for 1 of 3 shards to finish their load"), child->output());
  }
  const auto late = run(fmt::format("load {} --shard 2/3", common));
  BOOST_TEST_REQUIRE(late.exit_code == 0, late.output);
  for (auto& child : runs) {
    BOOST_TEST(child->finish() == 0, child->output());
    BOOST_TEST(child->output().find("run: workloadc: 100 operations") != std::string::npos, child->output());
  }
  // The results are in the cluster: merge fetches and adds them up.
  const auto merged = run(fmt::format("merge --pd {} --run-id r1 --json {} --cleanup", mock.pd_address(),
                                      dir.file("all.json")));
  BOOST_TEST(merged.exit_code == 0, merged.output);
  const auto doc = tikvbench::test::read_json(dir.file("all.json"));
  BOOST_TEST(doc["total"]["count"].get<uint64_t>() == 300u);
  BOOST_TEST(doc["workload"]["source"].get<std::string>().find("run r1 shard 2") != std::string::npos);
  BOOST_TEST(merged.output.find("removed run r1's keys") != std::string::npos, merged.output);
  // --cleanup removed them.
  const auto again = run(fmt::format("merge --pd {} --run-id r1", mock.pd_address()));
  BOOST_TEST(again.exit_code == tikvbench::kExitUsage, again.output);
  BOOST_TEST(again.output.find("no shard kept results") != std::string::npos, again.output);
}

BOOST_AUTO_TEST_CASE(a_barrier_that_times_out_is_one_line_and_exit_4) {
  MockProcess mock(TIKV_BENCH_PATH, 1);
  const auto result =
      run(fmt::format("run -P {} --pd {} --shard 1/2 --run-id r2 --barrier-timeout 1s --ops 10",
                      tikvbench::test::repo_workload("workloadc.yaml"), mock.pd_address()));
  BOOST_TEST(result.exit_code == tikvbench::kExitRuntime, result.output);
  BOOST_TEST(result.output.find("--barrier-timeout: run r2: only 0 of 2 shards finished their load within 1.0s "
                                "(still loading: shard 0, 1)") != std::string::npos,
             result.output);
  BOOST_TEST(result.output.find("run: ") == std::string::npos, result.output);  // it never ran
}

BOOST_AUTO_TEST_SUITE_END()  // distributed_test
