#include "h2load_child.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "support/mock_process.h"
#include "support/test_client.h"

namespace tikvbench::bench {

RawGetFrame::~RawGetFrame() {
  if (!path.empty()) std::remove(path.c_str());
}

void write_rawget_frame(const std::string& pd_address, const std::string& key, RawGetFrame& frame) {
  test::TestClient probe(pd_address, 0);
  {
    pdpb::GetMembersRequest request;
    auto [status, members] = test::call<pdpb::GetMembersResponse>(
        [&](auto* c, auto* r, auto d) { probe.pd().async()->GetMembers(c, &request, r, d); });
    if (!status.ok()) return;
    probe = test::TestClient(pd_address, members.header().cluster_id());
  }
  probe.put(key, std::string(100, 'v'));
  pdpb::GetStoreRequest store_request;
  *store_request.mutable_header() = probe.header();
  store_request.set_store_id(probe.leader_store_for(key));
  auto [store_status, store] = test::call<pdpb::GetStoreResponse>(
      [&](auto* c, auto* r, auto d) { probe.pd().async()->GetStore(c, &store_request, r, d); });
  if (!store_status.ok()) return;
  kvrpcpb::RawGetRequest request;
  *request.mutable_context() = probe.context_for(key);
  request.set_key(key);
  const std::string body = request.SerializeAsString();
  std::string bytes(5, '\0');
  for (int i = 0; i < 4; ++i) bytes[static_cast<size_t>(1 + i)] = static_cast<char>((body.size() >> (8 * (3 - i))) & 0xff);
  bytes += body;
  frame.path = fmt::format("/tmp/client_bench_rawget_{}.bin", getpid());
  frame.store_address = store.store().address();
  std::ofstream(frame.path, std::ios::binary) << bytes;
}

std::vector<std::string> h2load_args(const RawGetFrame& frame, int requests, int streams, int conns,
                                     const std::string& log_file) {
  std::vector<std::string> args = {"h2load", fmt::format("http://{}/tikvpb.Tikv/RawGet", frame.store_address),
                                   "-d", frame.path, "-H", "content-type: application/grpc", "-H", "te: trailers",
                                   "-n", std::to_string(requests), "-m", std::to_string(streams), "-c",
                                   std::to_string(conns), "-t", "1"};
  if (!log_file.empty()) args.push_back("--log-file=" + log_file);
  return args;
}

namespace {

pid_t spawn(std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// The 50th and 99th percentiles of the third column (microseconds until the
// end of the response) of h2load's --log-file.
std::pair<long, long> log_percentiles(const std::string& log_file) {
  std::vector<long> latencies;
  std::ifstream log(log_file);
  long start = 0, status = 0, micros = 0;
  while (log >> start >> status >> micros) latencies.push_back(micros);
  if (latencies.empty()) return {0, 0};
  std::sort(latencies.begin(), latencies.end());
  const auto at = [&](double p) { return latencies[static_cast<size_t>(p * static_cast<double>(latencies.size() - 1))]; };
  return {at(0.50), at(0.99)};
}

}  // namespace

int run_child(std::vector<std::string> args) {
  const pid_t pid = spawn(args);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

H2loadFigures run_h2load(const RawGetFrame& frame, int requests, int streams, int conns, pid_t server_pid) {
  H2loadFigures figures;
  {
    auto args = h2load_args(frame, requests, streams, conns);
    const auto server_cpu_start = server_pid != 0 ? test::process_cpu_time(server_pid) : std::chrono::microseconds(0);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = spawn(args);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    figures.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    figures.ops_per_s = requests / elapsed;
    figures.cpu_us_per_op = cpu * 1e6 / requests;
    figures.rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
    if (server_pid != 0) {
      figures.server_cpu_us_per_op =
          static_cast<double>((test::process_cpu_time(server_pid) - server_cpu_start).count()) / requests;
    }
  }
  // The percentiles from a second run that logs each request: the log's
  // writes would add to the first run's CPU.
  const std::string log_file = fmt::format("/tmp/client_bench_h2load_{}.log", getpid());
  const int status = run_child(h2load_args(frame, requests, streams, conns, log_file));
  figures.ok = figures.ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  std::tie(figures.p50_us, figures.p99_us) = log_percentiles(log_file);
  std::remove(log_file.c_str());
  return figures;
}

}  // namespace tikvbench::bench
