// h2load as the benchmarks' baseline: a prebuilt unary RawGet sent to one
// mock store by nghttp2's load generator, run as a child process, with its
// CPU per request (wait4) and its latency percentiles (from --log-file).
//
// Blocking; for the benchmark programs' main thread only.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace tikvbench::bench {

// The file h2load sends (one gRPC message: a RawGetRequest for `key`,
// addressed to its region's leader) and the leader store's address. Puts a
// 100-byte value under `key` first. Fails (empty path) when PD at
// `pd_address` does not answer.
struct RawGetFrame {
  std::string path;  // removed by the destructor
  std::string store_address;
  RawGetFrame() = default;
  RawGetFrame(const RawGetFrame&) = delete;
  RawGetFrame& operator=(const RawGetFrame&) = delete;
  ~RawGetFrame();
};
void write_rawget_frame(const std::string& pd_address, const std::string& key, RawGetFrame& frame);

// h2load's command line for `requests` unary RawGets of `frame` over
// `conns` connections with `streams` each; per-request log to `log_file`
// unless empty.
std::vector<std::string> h2load_args(const RawGetFrame& frame, int requests, int streams, int conns,
                                     const std::string& log_file = "");

// Runs `args` as a child process with its stdout on /dev/null; returns its
// exit status as waitpid gives it.
int run_child(std::vector<std::string> args);

// One h2load run's figures: ops/s, CPU and memory from a run as given;
// the percentiles from a second, identical run with --log-file.
struct H2loadFigures {
  bool ok = false;
  double ops_per_s = 0;
  double cpu_us_per_op = 0;  // user + system, from wait4
  double rss_mib = 0;        // peak (ru_maxrss)
  long p50_us = 0, p99_us = 0;
  double server_cpu_us_per_op = 0;  // of `server_pid` over the first run (0: not read)
};
H2loadFigures run_h2load(const RawGetFrame& frame, int requests, int streams, int conns, pid_t server_pid = 0);

}  // namespace tikvbench::bench
