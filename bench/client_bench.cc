// client_bench: what tikv-bench's client costs. Against the mock cluster in a
// separate process (its own, or the running cluster at --pd, for a peer to
// share: then the server's CPU is not read), it keeps `--inflight`
// operations in flight for `--seconds`, after a warm-up of a fifth of that
// (at most 2 s): RawGet reads and, with --read-proportion below 1, RawPut
// updates, over the keys go-ycsb's raw driver gives `--records` records
// ("usertable:user" and the record number's FNV hash, made by the
// workloads' KeyNamer), 100-byte values. It
// prints one line: ops/s, client CPU time per operation (all of this
// process's threads), p50/p99 latency, resident memory, requests per
// BatchCommands message, and the start-up: connect (PD, the region cache's
// warm-up with paged ScanRegions, the stores) in ms and the regions cached.
// Or, with --h2load, runs h2load sending unary RawGet to the store that leads
// one key, for comparison.
// One configuration per run, so each starts from a clean process; the
// scripts bench/client_bench.sh, bench/peer.sh, bench/scale.sh and
// bench/cost-curves.sh run the sets and print the tables.
//
// With --first-request, it measures instead how long each client takes from
// its start (fork and exec) to the first request a store serves, for
// `tikv-bench run` (which first finds the PD leader and the regions) and for
// h2load sending one RawGet, taking the median of --repeats runs of each.
//
// Usage: client_bench [--transport batch|unary] [--inflight N] [--seconds S] [--loops T] [--conns C]
//                     [--records R] [--read-proportion P] [--no-load]
//                     [--pd PD [--server-pid PID] | --stores N --regions N]
//        client_bench --h2load [--pd PD [--server-pid PID]] [--requests N] [--h2load-streams M] [--h2load-conns C]
//        client_bench --first-request [--repeats N]
#include <sys/resource.h>
#include <sys/wait.h>
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
#include <asio/use_future.hpp>
#include <fmt/format.h>

#include "h2load_child.h"
#include "measure/histogram.h"
#include "rpc/grpc_runtime.h"
#include "support/mock_process.h"
#include "tikv/cluster_client.h"
#include "workload/key_namer.h"
#include "util/join.h"

using namespace tikvbench;
using Clock = std::chrono::steady_clock;

namespace {

struct Config {
  std::string server = TIKV_BENCH_PATH;
  std::string pd;  // a running cluster; empty: a mock process of our own
  pid_t server_pid = 0;  // with pd: the cluster's process, for its CPU time (0: not read)
  int stores = 1, regions = 1;  // of our own mock
  std::string transport = "batch";
  int inflight = 1000;
  double seconds = 5;
  size_t loops = std::max(1u, std::thread::hardware_concurrency());  // tikv-bench's default: one per core
  size_t conns = tikv::TransportOptions{}.conns;
  int64_t records = 10'000;
  double read_proportion = 1.0;
  bool load = true;
  // go-ycsb's raw driver's keys: "usertable:" + "user" + util.Hash64(n).
  workload::KeyNamer keys{workload::KeyspaceSpec{}};
};

// Context switches of this process so far: voluntary (it waited) and
// involuntary (the kernel took the CPU away).
std::pair<long, long> context_switches() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return {usage.ru_nvcsw, usage.ru_nivcsw};
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
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

// What one event loop's workers count: each loop's on its own cache lines,
// written only by that loop's workers, so that the bench's own counting
// does not make the loops write to one shared line for every operation.
struct alignas(64) LoopFigures {
  std::atomic<uint64_t> ops{0};
  measure::Histogram latency_us;  // of the operations that ended while timing
};

struct Shared {
  explicit Shared(size_t loops) : per_loop(loops) {}
  uint64_t ops() const {
    uint64_t total = 0;
    for (const auto& loop : per_loop) total += loop.ops.load(std::memory_order_relaxed);
    return total;
  }
  std::vector<LoopFigures> per_loop;
  std::atomic<uint64_t> errors{0};
  std::atomic<bool> timing{false};
  std::atomic<bool> stop{false};
};

asio::awaitable<void> worker(tikv::RawClient& raw, const Config& config, Shared& shared, LoopFigures& mine,
                             unsigned seed) {
  std::minstd_rand rng(seed);
  const auto read_below = static_cast<uint64_t>(config.read_proportion * static_cast<double>(std::minstd_rand::max()));
  const std::string value(100, 'v');
  while (!shared.stop.load(std::memory_order_relaxed)) {
    std::string key = config.keys.row_key(static_cast<int64_t>(rng() % static_cast<uint64_t>(config.records)));
    const bool read = config.read_proportion >= 1.0 || rng() < read_below;
    const auto start = Clock::now();
    bool ok = true;
    if (read) {
      const auto found = co_await raw.get(std::move(key));
      ok = found.ok();
    } else {
      const auto put = co_await raw.put(std::move(key), value);
      ok = put.ok();
    }
    if (shared.timing.load(std::memory_order_relaxed)) {
      mine.latency_us.record(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
    }
    if (!ok) shared.errors.fetch_add(1, std::memory_order_relaxed);
    mine.ops.fetch_add(1, std::memory_order_relaxed);
  }
}

// Puts every record, 10,000 to a batch.
Status load_records(tikv::ClusterClient& client, const workload::KeyNamer& keys, int64_t records) {
  for (int64_t first = 0; first < records; first += 10'000) {
    std::vector<tikv::KvPair> pairs;
    for (int64_t n = first; n < std::min(records, first + 10'000); ++n) pairs.push_back({keys.row_key(n), std::string(100, 'v')});
    auto loaded = client.run(client.raw().batch_put(std::move(pairs)));
    if (!loaded.ok()) return loaded;
  }
  return Status();
}

int run_client(const Config& config) {
  const long rss_at_start = rss_kib("VmRSS:");
  // A cluster of its own, unless one is given (then the server's CPU is
  // the caller's to read).
  std::optional<test::MockProcess> mock;
  if (config.pd.empty()) {
    mock.emplace(config.server, config.stores,
                 std::vector<std::string>{"--regions", std::to_string(config.regions), "--region-records",
                                          std::to_string(std::max<int64_t>(config.records, config.regions))});
  }
  tikv::ClientOptions options;
  options.pd = {config.pd.empty() ? mock->pd_address() : config.pd};
  options.threads = config.loops;
  options.transport_options.conns = config.conns;
  options.transport = config.transport == "unary" ? tikv::TransportKind::kUnary : tikv::TransportKind::kBatch;
  options.transport_options.timeout = std::chrono::seconds(30);
  options.connect_timeout = std::chrono::seconds(60);
  const auto connect_start = Clock::now();
  auto connected = tikv::ClusterClient::connect(options);
  const double connect_ms = std::chrono::duration<double, std::milli>(Clock::now() - connect_start).count();
  if (!connected.ok()) {
    fmt::print(stderr, "connect: {}\n", connected.status().to_string());
    return 3;
  }
  auto& client = **connected;
  const long rss_connected = rss_kib("VmRSS:");
  const size_t regions_cached = client.cache().size();
  if (config.load) {
    if (const auto loaded = load_records(client, config.keys, config.records); !loaded.ok()) {
      fmt::print(stderr, "load: {}\n", loaded.to_string());
      return 4;
    }
  }

  Shared shared(client.loops().size());
  // Each loop spawns its own workers, so that their coroutine frames come
  // from that loop's allocator and never share a cache line with another
  // loop's.
  std::vector<std::future<void>> workers;
  const size_t loops = client.loops().size();
  for (size_t loop = 0; loop < loops; ++loop) {
    const int share = config.inflight / static_cast<int>(loops) +
                      (loop < static_cast<size_t>(config.inflight) % loops ? 1 : 0);
    workers.push_back(asio::co_spawn(
        client.loops().executor(loop),
        [](tikv::RawClient& raw, const Config& config, Shared& shared, size_t loop,
           int share) -> asio::awaitable<void> {
          std::vector<asio::awaitable<void>> tasks;
          for (int k = 0; k < share; ++k) {
            tasks.push_back(worker(raw, config, shared, shared.per_loop[loop],
                                   static_cast<unsigned>(loop * 1'000'003 + static_cast<size_t>(k) + 1)));
          }
          co_await join_all(std::move(tasks));
        }(client.raw(), config, shared, loop, share),
        asio::use_future));
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(std::min(2.0, config.seconds / 5)));  // warm-up
  const auto start = Clock::now();
  const uint64_t ops_start = shared.ops();
  const double cpu_start = cpu_seconds();
  const auto switches_start = context_switches();
  const auto batch_start = client.batch_totals();
  const auto server_cpu_now = [&] {
    const auto cpu = mock ? mock->cpu_time() : test::process_cpu_time(config.server_pid);
    return config.pd.empty() || config.server_pid != 0 ? static_cast<double>(cpu.count()) / 1e6 : 0.0;
  };
  const double server_cpu_start = server_cpu_now();
  shared.timing.store(true);
  std::this_thread::sleep_for(std::chrono::duration<double>(config.seconds));
  shared.timing.store(false);
  const double cpu = cpu_seconds() - cpu_start;
  const auto switches_end = context_switches();
  const auto batch_end = client.batch_totals();
  const double server_cpu = server_cpu_now() - server_cpu_start;
  const uint64_t ops = shared.ops() - ops_start;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const long rss = rss_kib("VmRSS:");
  const long peak = rss_kib("VmHWM:");
  shared.stop.store(true);
  for (auto& running : workers) running.get();

  measure::Histogram latency_us;
  for (const auto& loop : shared.per_loop) static_cast<void>(latency_us.merge(loop.latency_us));
  const double per_message = batch_end.messages > batch_start.messages
                                 ? static_cast<double>(batch_end.requests - batch_start.requests) /
                                       static_cast<double>(batch_end.messages - batch_start.messages)
                                 : 0.0;
  const auto per_op = [&](double total) { return total / static_cast<double>(std::max<uint64_t>(ops, 1)); };
  fmt::print("client transport={} inflight={} threads={} records={} regions={} ops={} ops_per_s={:.0f} "
             "client_cpu_us_per_op={:.3f} server_cpu_us_per_op={:.3f} p50_us={} p99_us={} rss_mib={:.1f} "
             "peak_rss_mib={:.1f} rss_start_mib={:.1f} rss_connected_mib={:.1f} connect_ms={:.1f} "
             "requests_per_message={:.1f} switches_per_kop={:.1f}/{:.1f} errors={}\n",
             config.transport, config.inflight, loops, config.records, regions_cached, ops,
             static_cast<double>(ops) / elapsed, per_op(cpu * 1e6), per_op(server_cpu * 1e6),
             latency_us.value_at_percentile(50), latency_us.value_at_percentile(99), rss / 1024.0, peak / 1024.0,
             rss_at_start / 1024.0, rss_connected / 1024.0, connect_ms, per_message,
             per_op(static_cast<double>(switches_end.first - switches_start.first) * 1e3),
             per_op(static_cast<double>(switches_end.second - switches_start.second) * 1e3),
             shared.errors.load());
  return shared.errors.load() == 0 ? 0 : 1;
}

int h2load_against(const Config& config, int requests, int streams, int conns) {
  std::optional<test::MockProcess> mock;
  if (config.pd.empty()) mock.emplace(config.server, 1);
  bench::RawGetFrame frame;
  bench::write_rawget_frame(config.pd.empty() ? mock->pd_address() : config.pd, config.keys.row_key(1), frame);
  if (frame.path.empty()) return 3;
  const pid_t server = mock ? mock->pid() : config.server_pid;
  const auto figures = bench::run_h2load(frame, requests, streams, conns, server);
  if (!figures.ok) {
    fmt::print(stderr, "h2load failed (is nghttp2-client installed?)\n");
    return 4;
  }
  fmt::print("h2load requests={} streams={} conns={} ops_per_s={:.0f} client_cpu_us_per_op={:.3f} p50_us={} "
             "p99_us={} rss_mib={:.1f} server_cpu_us_per_op={:.3f}\n",
             requests, streams, conns, figures.ops_per_s, figures.cpu_us_per_op, figures.p50_us, figures.p99_us,
             figures.rss_mib, figures.server_cpu_us_per_op);
  return 0;
}

// Milliseconds from starting `args` to the first request a store served,
// the median of `repeats` runs.
double first_request_ms(test::MockProcess& mock, const std::vector<std::string>& args, int repeats) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    mock.ask("first-request");  // starts the watch again
    const auto start = Clock::now();
    const int status = bench::run_child(args);
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

int run_first_request(const Config& config, int repeats) {
  const std::string& server = config.server;
  test::MockProcess mock(server, 1);
  bench::RawGetFrame frame;
  bench::write_rawget_frame(mock.pd_address(), config.keys.row_key(1), frame);
  if (frame.path.empty()) return 3;
  const std::string workload = fmt::format("/tmp/client_bench_first_{}.yaml", getpid());
  std::ofstream(workload) << "keyspace: {records: 10}\nvalues: {fields: 1, field_length: 10}\nmix: {read: 1}\n";
  try {
    const double ours = first_request_ms(
        mock, {server, "run", "-P", workload, "--pd", mock.pd_address(), "--ops", "1", "--status-interval", "60s"},
        repeats);
    const double theirs = first_request_ms(mock, bench::h2load_args(frame, 1, 1, 1), repeats);
    fmt::print("first_request tikv_bench_ms={:.1f} h2load_ms={:.1f} ratio={:.2f} repeats={}\n", ours, theirs,
               ours / theirs, repeats);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 4;
  }
  std::remove(workload.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tikvbench::rpc::configure_grpc_runtime();
  CLI::App app{"Measure the client's CPU and memory per operation against the mock cluster"};
  Config config;
  int requests = 500'000, h2_streams = 100, h2_conns = 4;
  bool h2load = false, first_request = false, no_load = false;
  int repeats = 5;
  app.add_option("--server", config.server)->capture_default_str();
  app.add_option("--pd", config.pd, "A running cluster's PD (no mock of its own; server CPU then reads 0)");
  app.add_option("--server-pid", config.server_pid, "With --pd: the cluster's process, whose CPU time to read");
  app.add_option("--stores", config.stores, "Stores of its own mock")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--regions", config.regions, "Regions of its own mock (mock-cluster --regions)")
      ->check(CLI::Range(1, 10'000'000))
      ->capture_default_str();
  app.add_option("--transport", config.transport)->check(CLI::IsMember({"batch", "unary"}))->capture_default_str();
  app.add_option("--inflight", config.inflight)->check(CLI::Range(1, 1'000'000))->capture_default_str();
  app.add_option("--seconds", config.seconds)->capture_default_str();
  app.add_option("--loops", config.loops, "Event-loop threads")->capture_default_str();
  app.add_option("--conns", config.conns, "Channels per store")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--records", config.records, "Records loaded and addressed")
      ->check(CLI::Range(int64_t{1}, int64_t{100'000'000}))
      ->capture_default_str();
  app.add_option("--read-proportion", config.read_proportion, "Share of reads (RawGet); the rest update (RawPut)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_flag("--no-load", no_load, "Do not load the records (another client did)");
  app.add_flag("--h2load", h2load, "Measure h2load instead");
  app.add_flag("--first-request", first_request, "Measure the time from start to the first request instead");
  app.add_option("--repeats", repeats, "Runs per client for --first-request")->check(CLI::Range(1, 100));
  app.add_option("--requests", requests, "h2load requests")->capture_default_str();
  app.add_option("--h2load-streams", h2_streams)->capture_default_str();
  app.add_option("--h2load-conns", h2_conns)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  config.load = !no_load;
  if (first_request) return run_first_request(config, repeats);
  return h2load ? h2load_against(config, requests, h2_streams, h2_conns) : run_client(config);
}
