// client_bench: what tikv-bench's client costs. Against the mock cluster in a
// separate process (its own, or the running cluster at --pd, for a peer to
// share: then the server's CPU is not read), it keeps `--inflight` RawGets in flight for `--seconds`
// and reports client CPU time per operation (all of this process's threads)
// and resident memory; or, with --h2load, runs h2load sending unary RawGet to
// the same store and reports h2load's CPU per request, for comparison.
// One configuration per run, so each starts from a clean process; the script
// bench/client_bench.sh runs the set and prints the table.
//
// With --first-request, it measures instead how long each client takes from
// its start (fork and exec) to the first request a store serves, for
// `tikv-bench run` (which first finds the PD leader and the regions) and for
// h2load sending one RawGet, taking the median of --repeats runs of each.
//
// Usage: client_bench [--transport batch|unary] [--inflight N] [--seconds S] [--loops T] [--conns C] [--pd PD]
//        client_bench --h2load [--requests N] [--h2load-streams M] [--h2load-conns C]
//        client_bench --first-request [--repeats N]
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <optional>
#include <random>
#include <thread>

#include <CLI/CLI.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/use_future.hpp>
#include <fmt/format.h>

#include "rpc/grpc_runtime.h"
#include "support/mock_process.h"
#include "support/test_client.h"
#include "tikv/cluster_client.h"
#include "util/join.h"

using namespace tikvbench;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kKeys = 10'000;

// "key" and `i` in six digits (fmt's "key{:06}"), made without a format
// call: the readers make one per operation, and the figures are to be the
// client's, not the key formatting's. (A table of ready keys is worse: the
// copy of a random one misses the cache.) REQUIRES: 0 <= i < 1,000,000.
std::string key(int i) {
  std::string key = "key000000";
  for (size_t digit = key.size() - 1; i > 0; --digit, i /= 10) key[digit] = static_cast<char>('0' + i % 10);
  return key;
}

// Context switches of this process so far: voluntary (it waited) and
// involuntary (the kernel took the CPU away).
std::pair<long, long> context_switches() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return {usage.ru_nvcsw, usage.ru_nivcsw};
}

double cpu_seconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long rss_kib(const char* field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(field)) return std::stol(line.substr(line.find_first_of("0123456789")));
  }
  return 0;
}

// Operations are counted per event loop, each count on its own cache line,
// so that the bench's own counting does not make the loops write to one
// shared line for every operation.
struct alignas(64) LoopCount {
  std::atomic<uint64_t> ops{0};
};

struct Counters {
  explicit Counters(size_t loops) : per_loop(loops) {}
  uint64_t ops() const {
    uint64_t total = 0;
    for (const auto& count : per_loop) total += count.ops.load(std::memory_order_relaxed);
    return total;
  }
  std::vector<LoopCount> per_loop;
  std::atomic<uint64_t> errors{0};
  std::atomic<bool> stop{false};
};

asio::awaitable<void> reader(tikv::RawClient& raw, Counters& counters, std::atomic<uint64_t>& ops, unsigned seed) {
  std::minstd_rand rng(seed);
  while (!counters.stop.load(std::memory_order_relaxed)) {
    auto value = co_await raw.get(key(static_cast<int>(rng() % kKeys)));
    if (!value.ok()) counters.errors.fetch_add(1, std::memory_order_relaxed);
    ops.fetch_add(1, std::memory_order_relaxed);
  }
}

int run_client(const std::string& server, const std::string& pd, const std::string& transport, int inflight,
               double seconds, size_t threads, size_t conns) {
  // A cluster of its own, unless one is given (then the server's CPU is
  // the caller's to read).
  std::optional<test::MockProcess> mock;
  if (pd.empty()) mock.emplace(server, 1);
  tikv::ClientOptions options;
  options.pd = {pd.empty() ? mock->pd_address() : pd};
  options.threads = threads;
  options.transport_options.conns = conns;
  options.transport = transport == "unary" ? tikv::TransportKind::kUnary : tikv::TransportKind::kBatch;
  options.transport_options.timeout = std::chrono::seconds(30);
  auto connected = tikv::ClusterClient::connect(options);
  if (!connected.ok()) {
    fmt::print(stderr, "connect: {}\n", connected.status().to_string());
    return 3;
  }
  auto& client = **connected;
  {
    std::vector<tikv::KvPair> pairs;
    for (int i = 0; i < kKeys; ++i) pairs.push_back({key(i), std::string(100, 'v')});
    const auto loaded = client.run(client.raw().batch_put(std::move(pairs)));
    if (!loaded.ok()) {
      fmt::print(stderr, "load: {}\n", loaded.to_string());
      return 4;
    }
  }
  const long rss_before = rss_kib("VmRSS:");

  Counters counters(client.loops().size());
  // Each loop spawns its own readers, so that their coroutine frames come
  // from that loop's allocator and never share a cache line with another
  // loop's.
  std::vector<std::future<void>> workers;
  const size_t loops = client.loops().size();
  for (size_t loop = 0; loop < loops; ++loop) {
    const int share = inflight / static_cast<int>(loops) + (loop < static_cast<size_t>(inflight) % loops ? 1 : 0);
    workers.push_back(asio::co_spawn(
        client.loops().executor(loop),
        [](tikv::RawClient& raw, Counters& counters, size_t loop, int share) -> asio::awaitable<void> {
          std::vector<asio::awaitable<void>> tasks;
          for (int k = 0; k < share; ++k) {
            tasks.push_back(reader(raw, counters, counters.per_loop[loop].ops,
                                   static_cast<unsigned>(loop * 1'000'003 + static_cast<size_t>(k) + 1)));
          }
          co_await join_all(std::move(tasks));
        }(client.raw(), counters, loop, share),
        asio::use_future));
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(std::min(2.0, seconds / 5)));  // warm-up
  const auto start = Clock::now();
  const uint64_t ops_start = counters.ops();
  const double cpu_start = cpu_seconds(RUSAGE_SELF);
  const auto switches_start = context_switches();
  const auto server_cpu_now = [&] { return mock ? static_cast<double>(mock->cpu_time().count()) / 1e6 : 0.0; };
  const double server_cpu_start = server_cpu_now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const double cpu = cpu_seconds(RUSAGE_SELF) - cpu_start;
  const auto switches_end = context_switches();
  const double server_cpu = server_cpu_now() - server_cpu_start;
  const uint64_t ops = counters.ops() - ops_start;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const long rss = rss_kib("VmRSS:");
  const long peak = rss_kib("VmHWM:");
  counters.stop.store(true);
  for (auto& worker : workers) worker.get();

  fmt::print("client transport={} inflight={} threads={} ops={} ops_per_s={:.0f} client_cpu_us_per_op={:.3f} "
             "server_cpu_us_per_op={:.3f} rss_mib={:.1f} peak_rss_mib={:.1f} rss_before_mib={:.1f} "
             "mean_batch={:.1f} switches_per_kop={:.1f}/{:.1f} errors={}\n",
             transport, inflight, client.loops().size(), ops, static_cast<double>(ops) / elapsed,
             cpu * 1e6 / static_cast<double>(ops), server_cpu * 1e6 / static_cast<double>(ops), rss / 1024.0,
             peak / 1024.0, rss_before / 1024.0, client.mean_batch_size(),
             static_cast<double>(switches_end.first - switches_start.first) * 1e3 / static_cast<double>(ops),
             static_cast<double>(switches_end.second - switches_start.second) * 1e3 / static_cast<double>(ops),
             counters.errors.load());
  return counters.errors.load() == 0 ? 0 : 1;
}

// Stores key(1) in the mock and writes one gRPC message for h2load: a zero
// flag byte, a big-endian length, then a RawGetRequest for it. Returns the
// file's path, or "" when the mock did not answer.
std::string write_rawget_frame(test::MockProcess& mock) {
  test::TestClient probe(mock.pd_address(), 0);
  {
    pdpb::GetMembersRequest request;
    auto [status, members] = test::call<pdpb::GetMembersResponse>(
        [&](auto* c, auto* r, auto d) { probe.pd().async()->GetMembers(c, &request, r, d); });
    if (!status.ok()) return "";
    probe = test::TestClient(mock.pd_address(), members.header().cluster_id());
  }
  probe.put(key(1), std::string(100, 'v'));
  kvrpcpb::RawGetRequest request;
  *request.mutable_context() = probe.context_for(key(1));
  request.set_key(key(1));
  const std::string body = request.SerializeAsString();
  std::string frame(5, '\0');
  for (int i = 0; i < 4; ++i) frame[static_cast<size_t>(1 + i)] = static_cast<char>((body.size() >> (8 * (3 - i))) & 0xff);
  frame += body;
  const std::string path = fmt::format("/tmp/client_bench_rawget_{}.bin", getpid());
  std::ofstream(path, std::ios::binary) << frame;
  return path;
}

// Runs `args` as a child process with its stdout on /dev/null; returns its
// exit status as waitpid gives it.
int run_child(std::vector<std::string> args) {
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
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

std::vector<std::string> h2load_args(const std::string& url, const std::string& frame, int requests, int streams,
                                     int conns) {
  return {"h2load", url, "-d", frame, "-H", "content-type: application/grpc", "-H", "te: trailers", "-n",
          std::to_string(requests), "-m", std::to_string(streams), "-c", std::to_string(conns), "-t", "1"};
}

int run_h2load(const std::string& server, int requests, int streams, int conns) {
  test::MockProcess mock(server, 1);
  const std::string path = write_rawget_frame(mock);
  if (path.empty()) return 3;
  const std::string url = fmt::format("http://{}/tikvpb.Tikv/RawGet", mock.store_addresses().at(0));
  const double cpu_start = cpu_seconds(RUSAGE_CHILDREN);
  const auto start = Clock::now();
  const int status = run_child(h2load_args(url, path, requests, streams, conns));
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = cpu_seconds(RUSAGE_CHILDREN) - cpu_start;
  std::remove(path.c_str());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fmt::print(stderr, "h2load failed (is nghttp2-client installed?)\n");
    return 4;
  }
  fmt::print("h2load requests={} streams={} conns={} ops_per_s={:.0f} client_cpu_us_per_op={:.3f}\n", requests,
             streams, conns, requests / elapsed, cpu * 1e6 / requests);
  return 0;
}

// Milliseconds from starting `args` to the first request a store served,
// the median of `repeats` runs.
double first_request_ms(test::MockProcess& mock, const std::vector<std::string>& args, int repeats) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    mock.ask("first-request");  // starts the watch again
    const auto start = Clock::now();
    const int status = run_child(args);
    const std::string reply = mock.ask("first-request");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !reply.starts_with("first-request ") ||
        reply == "first-request none") {
      throw std::runtime_error(fmt::format("{} failed (status {}, mock said '{}')", args.at(0), status, reply));
    }
    const Clock::time_point first{std::chrono::nanoseconds(std::stoll(reply.substr(14)))};
    times.push_back(std::chrono::duration<double, std::milli>(first - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

int run_first_request(const std::string& server, int repeats) {
  test::MockProcess mock(server, 1);
  const std::string frame = write_rawget_frame(mock);
  if (frame.empty()) return 3;
  const std::string workload = fmt::format("/tmp/client_bench_first_{}.yaml", getpid());
  std::ofstream(workload) << "keyspace: {records: 10}\nvalues: {fields: 1, field_length: 10}\nmix: {read: 1}\n";
  const std::string url = fmt::format("http://{}/tikvpb.Tikv/RawGet", mock.store_addresses().at(0));
  try {
    const double ours = first_request_ms(
        mock, {server, "run", "-P", workload, "--pd", mock.pd_address(), "--ops", "1", "--status-interval", "60s"},
        repeats);
    const double theirs = first_request_ms(mock, h2load_args(url, frame, 1, 1, 1), repeats);
    fmt::print("first_request tikv_bench_ms={:.1f} h2load_ms={:.1f} ratio={:.2f} repeats={}\n", ours, theirs,
               ours / theirs, repeats);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 4;
  }
  std::remove(workload.c_str());
  std::remove(frame.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tikvbench::rpc::configure_grpc_runtime();
  CLI::App app{"Measure the client's CPU and memory per operation against the mock cluster"};
  std::string server = TIKV_BENCH_PATH, transport = "batch", pd;
  int inflight = 1000, requests = 500'000, h2_streams = 100, h2_conns = 4;
  double seconds = 5;
  size_t threads = std::max(1u, std::thread::hardware_concurrency());  // tikv-bench's default: one loop per core
  size_t conns = tikv::TransportOptions{}.conns;
  bool h2load = false, first_request = false;
  int repeats = 5;
  app.add_option("--server", server)->capture_default_str();
  app.add_option("--pd", pd, "A running cluster's PD (no mock of its own; server CPU then reads 0)");
  app.add_option("--transport", transport)->check(CLI::IsMember({"batch", "unary"}))->capture_default_str();
  app.add_option("--inflight", inflight)->check(CLI::Range(1, 1'000'000))->capture_default_str();
  app.add_option("--seconds", seconds)->capture_default_str();
  app.add_option("--loops", threads, "Event-loop threads")->capture_default_str();
  app.add_option("--conns", conns, "Channels per store")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_flag("--h2load", h2load, "Measure h2load instead");
  app.add_flag("--first-request", first_request, "Measure the time from start to the first request instead");
  app.add_option("--repeats", repeats, "Runs per client for --first-request")->check(CLI::Range(1, 100));
  app.add_option("--requests", requests, "h2load requests")->capture_default_str();
  app.add_option("--h2load-streams", h2_streams)->capture_default_str();
  app.add_option("--h2load-conns", h2_conns)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (first_request) return run_first_request(server, repeats);
  return h2load ? run_h2load(server, requests, h2_streams, h2_conns)
                : run_client(server, pd, transport, inflight, seconds, threads, conns);
}
