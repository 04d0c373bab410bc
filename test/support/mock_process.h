// MockProcess runs `tikv-bench mock-cluster` as a child process on free
// loopback ports for the benchmarks, drives it through its stdin, and reads
// its CPU time from /proc. Closing stdin stops it.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace tikvbench::test {

// A process's CPU time so far (user + system), from /proc; 0 when it is
// gone.
inline std::chrono::microseconds process_cpu_time(pid_t pid) {
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  if (text.empty()) return std::chrono::microseconds(0);
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  const long ticks = sysconf(_SC_CLK_TCK);
  return std::chrono::microseconds((utime + stime) * 1'000'000 / ticks);
}

// The mock cluster as a child process, driven through its stdin.
class MockProcess {
 public:
  MockProcess(const std::string& path, int stores, std::vector<std::string> extra = {}) {
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], STDIN_FILENO);
      dup2(out[1], STDOUT_FILENO);
      close(in[1]);
      close(out[0]);
      std::vector<std::string> args = {path, "mock-cluster", "--pd", "127.0.0.1:0", "--stores",
                                       std::to_string(stores), "--split-keys", "0", "--exit-on-eof"};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(path.c_str(), argv.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_child_ = fdopen(in[1], "w");
    from_child_ = fdopen(out[0], "r");
    for (std::string line; read_line(line) && line != "ready";) {
      if (line.starts_with("pd ")) {
        if (pd_address_.empty()) pd_address_ = line.substr(3);
        pd_addresses_.push_back(line.substr(3));
      }
      if (line.starts_with("store ")) store_addresses_.push_back(line.substr(line.rfind(' ') + 1));
    }
    if (pd_address_.empty()) throw std::runtime_error("mock-cluster did not start: " + path);
  }
  ~MockProcess() {
    fclose(to_child_);  // end of input stops it
    int status = 0;
    waitpid(pid_, &status, 0);
    fclose(from_child_);
  }

  pid_t pid() const { return pid_; }
  const std::string& pd_address() const { return pd_address_; }  // the first PD member
  // Every PD member, comma-separated, as --pd takes them.
  std::string pd_list() const { return fmt::format("{}", fmt::join(pd_addresses_, ",")); }
  const std::vector<std::string>& store_addresses() const { return store_addresses_; }

  // Runs an admin command; throws unless it answers ok.
  void command(const std::string& line) {
    fmt::print(to_child_, "{}\n", line);
    fflush(to_child_);
    for (std::string reply; read_line(reply);) {
      if (reply == "ok") return;
      if (reply.starts_with("error:")) throw std::runtime_error(line + ": " + reply);
    }
    throw std::runtime_error("mock-cluster exited");
  }

  // Runs an admin command; returns the lines before its "ok" (throws on an
  // error).
  std::vector<std::string> lines(const std::string& line) {
    fmt::print(to_child_, "{}\n", line);
    fflush(to_child_);
    std::vector<std::string> replies;
    for (std::string reply; read_line(reply);) {
      if (reply == "ok") return replies;
      if (reply.starts_with("error:")) throw std::runtime_error(line + ": " + reply);
      replies.push_back(reply);
    }
    throw std::runtime_error("mock-cluster exited");
  }

  // Runs an admin command that answers with one line; returns that line.
  std::string ask(const std::string& line) {
    fmt::print(to_child_, "{}\n", line);
    fflush(to_child_);
    std::string reply;
    if (!read_line(reply)) throw std::runtime_error("mock-cluster exited");
    if (reply.starts_with("error:")) throw std::runtime_error(line + ": " + reply);
    return reply;
  }

  // Server CPU time so far (user + system), from /proc.
  std::chrono::microseconds cpu_time() const { return process_cpu_time(pid_); }

 private:
  bool read_line(std::string& line) {
    char buffer[4096];
    if (!fgets(buffer, sizeof buffer, from_child_)) return false;
    line = buffer;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    return true;
  }

  pid_t pid_ = -1;
  FILE* to_child_ = nullptr;
  FILE* from_child_ = nullptr;
  std::string pd_address_;
  std::vector<std::string> pd_addresses_;
  std::vector<std::string> store_addresses_;
};


}  // namespace tikvbench::test
