// A directory of its own for one test's files, removed when the test ends,
// and the small readers the binary-driving suites share.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tikvbench::test {

class TempDir {
 public:
  // A fresh, empty directory named after `name` and this process.
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / fmt::format("tikv_bench_{}_{}", name, getpid())) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The path of `name` inside; writes `text` there when it is not empty.
  std::string file(const std::string& name, const std::string& text = "") const {
    const auto p = (path_ / name).string();
    if (!text.empty()) std::ofstream(p) << text;
    return p;
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(std::ifstream(path)); }

// A file of the repository's workloads/.
inline std::string repo_workload(const std::string& name) {
  return std::string(TEST_DATA_DIR) + "/../../workloads/" + name;
}

}  // namespace tikvbench::test
