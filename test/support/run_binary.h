// Runs the tikv-bench binary as a user would, through the shell, and
// collects its exit code and output (stdout and stderr together).
#pragma once

#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace tikvbench::test {

struct BinaryRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
  std::chrono::milliseconds elapsed{0};
};

// `args` are appended to the binary's path as shell words.
inline BinaryRun run_binary(const std::string& args) {
  const auto start = std::chrono::steady_clock::now();
  BinaryRun result;
  FILE* pipe = popen(fmt::format("{} {} 2>&1", TIKV_BENCH_PATH, args).c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed");
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe)) result.output += buffer.data();
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return result;
}

}  // namespace tikvbench::test
