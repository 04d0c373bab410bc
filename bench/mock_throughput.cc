// mock_throughput: how many raw requests per second the mock cluster serves
// over BatchCommands, and the server CPU each one costs. The mock runs as a
// separate process (`tikv-bench mock-cluster`), the keyspace is split so that
// every store leads one region, and each store gets `--streams` streams, each
// keeping `--depth` messages of `--batch` requests in flight.
//
// Usage: mock_throughput [--seconds 5] [--stores 3] [--streams 2] [--batch 64]
//                        [--depth 4] [--op get|put] [--server PATH]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "rpc/grpc_runtime.h"
#include "support/mock_process.h"
#include "support/test_client.h"

using namespace tikvbench;
using Clock = std::chrono::steady_clock;
using tikvbench::test::MockProcess;

namespace {

// One BatchCommands stream kept `depth` messages deep until stopped.
class LoadStream final : public grpc::ClientBidiReactor<tikvpb::BatchCommandsRequest, tikvpb::BatchCommandsResponse> {
 public:
  LoadStream(tikvpb::Tikv::Stub& stub, tikvpb::BatchCommandsRequest message, int depth)
      : message_(std::move(message)), batch_(static_cast<uint64_t>(message_.requests_size())), depth_(depth) {
    stub.async()->BatchCommands(&ctx_, this);
    AddHold();
    StartRead(&response_);
    StartCall();
    pump();
  }

  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    pump();
  }
  void wait() {
    std::unique_lock lock(mu_);
    done_.wait(lock, [&] { return finished_; });
  }
  uint64_t responses() const { return responses_.load(std::memory_order_relaxed); }
  uint64_t region_errors() const { return region_errors_.load(std::memory_order_relaxed); }

  void OnWriteDone(bool ok) override {
    {
      std::lock_guard lock(mu_);
      writing_ = false;
      if (!ok) stopping_ = true;
    }
    pump();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    uint64_t errors = 0;
    for (const auto& response : response_.responses()) {
      errors += response.has_rawget() ? response.rawget().has_region_error()
                                      : response.rawput().has_region_error();
    }
    region_errors_.fetch_add(errors, std::memory_order_relaxed);
    const auto total = responses_.fetch_add(static_cast<uint64_t>(response_.responses_size()),
                                            std::memory_order_relaxed) +
                       static_cast<uint64_t>(response_.responses_size());
    {
      std::lock_guard lock(mu_);
      completed_ = total / batch_;
    }
    StartRead(&response_);
    pump();
  }
  void OnWritesDoneDone(bool) override { RemoveHold(); }
  void OnDone(const grpc::Status&) override {
    std::lock_guard lock(mu_);
    finished_ = true;
    done_.notify_all();
  }

 private:
  void pump() {
    enum { kNothing, kWrite, kClose } action = kNothing;
    {
      std::lock_guard lock(mu_);
      if (writing_ || closed_) return;
      const uint64_t in_flight = sent_ - completed_;
      if (!stopping_ && in_flight < static_cast<uint64_t>(depth_)) {
        writing_ = true;
        ++sent_;
        action = kWrite;
      } else if (stopping_ && in_flight == 0) {
        closed_ = true;
        action = kClose;
      }
    }
    if (action == kWrite) StartWrite(&message_);
    if (action == kClose) StartWritesDone();
  }

  grpc::ClientContext ctx_;
  const tikvpb::BatchCommandsRequest message_;
  const uint64_t batch_;
  const int depth_;
  tikvpb::BatchCommandsResponse response_;
  std::atomic<uint64_t> responses_{0};
  std::atomic<uint64_t> region_errors_{0};

  std::mutex mu_;
  std::condition_variable done_;
  uint64_t sent_ = 0;       // Guarded by mu_.
  uint64_t completed_ = 0;  // Guarded by mu_.
  bool writing_ = false;    // Guarded by mu_.
  bool stopping_ = false;   // Guarded by mu_.
  bool closed_ = false;     // Guarded by mu_.
  bool finished_ = false;   // Guarded by mu_.
};

std::chrono::microseconds own_cpu_time() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return std::chrono::seconds(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         std::chrono::microseconds(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

}  // namespace

int main(int argc, char** argv) {
  tikvbench::rpc::configure_grpc_runtime();
  CLI::App app{"Measure the mock cluster's throughput over BatchCommands"};
  double seconds = 5;
  int stores = 3, streams = 2, batch = 64, depth = 4;
  std::string op = "get";
  std::string server = TIKV_BENCH_PATH;
  app.add_option("--seconds", seconds)->capture_default_str();
  app.add_option("--stores", stores)->capture_default_str()->check(CLI::Range(1, 16));
  app.add_option("--streams", streams, "Streams per store")->capture_default_str()->check(CLI::Range(1, 64));
  app.add_option("--batch", batch, "Requests per message")->capture_default_str()->check(CLI::Range(1, 4096));
  app.add_option("--depth", depth, "Messages in flight per stream")->capture_default_str()->check(CLI::Range(1, 256));
  app.add_option("--op", op)->capture_default_str()->check(CLI::IsMember({"get", "put"}));
  app.add_option("--server", server, "The tikv-bench binary")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  MockProcess mock(server, stores);
  // One region per store, each led by its own store: split at "key1", "key2", ...
  for (int i = 1; i < stores; ++i) mock.command(fmt::format("split-key key{}", i));
  test::TestClient client(mock.pd_address(), 0);
  {
    pdpb::GetMembersRequest request;
    auto [status, members] = test::call<pdpb::GetMembersResponse>(
        [&](auto* c, auto* r, auto d) { client.pd().async()->GetMembers(c, &request, r, d); });
    if (!status.ok()) throw std::runtime_error("GetMembers: " + status.error_message());
    client = test::TestClient(mock.pd_address(), members.header().cluster_id());
  }
  for (int i = 0; i < stores; ++i) {
    const auto region = client.get_region(fmt::format("key{}", i));
    if (region.leader().store_id() != static_cast<uint64_t>(i + 1)) {
      mock.command(fmt::format("transfer-leader {} {}", region.region().id(), i + 1));
    }
  }

  std::vector<std::unique_ptr<LoadStream>> loads;
  for (int s = 0; s < stores; ++s) {
    const std::string prefix = fmt::format("key{}", s);
    const auto ctx = client.context_for(prefix);
    // Seed the keys the gets read.
    for (int k = 0; k < batch; ++k) client.put(fmt::format("{}-{:04}", prefix, k), std::string(100, 'v'));
    tikvpb::BatchCommandsRequest message;
    for (int k = 0; k < batch; ++k) {
      auto* request = message.add_requests();
      const auto key = fmt::format("{}-{:04}", prefix, k);
      if (op == "get") {
        *request->mutable_rawget()->mutable_context() = ctx;
        request->mutable_rawget()->set_key(key);
      } else {
        *request->mutable_rawput()->mutable_context() = ctx;
        request->mutable_rawput()->set_key(key);
        request->mutable_rawput()->set_value(std::string(100, 'v'));
      }
      message.add_request_ids(static_cast<uint64_t>(k));
    }
    for (int i = 0; i < streams; ++i) {
      loads.push_back(std::make_unique<LoadStream>(client.store(static_cast<uint64_t>(s + 1)), message, depth));
    }
  }

  // Warm up for a tenth of the run, then measure.
  auto total = [&] {
    uint64_t n = 0;
    for (auto& load : loads) n += load->responses();
    return n;
  };
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds / 10));
  const auto start = Clock::now();
  const auto start_count = total();
  const auto server_cpu_start = mock.cpu_time();
  const auto client_cpu_start = own_cpu_time();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const auto count = total() - start_count;
  const auto elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const auto server_cpu = mock.cpu_time() - server_cpu_start;
  const auto client_cpu = own_cpu_time() - client_cpu_start;
  for (auto& load : loads) load->stop();
  uint64_t errors = 0;
  for (auto& load : loads) {
    load->wait();
    errors += load->region_errors();
  }

  fmt::print("mock cluster over BatchCommands: {} stores, {} streams each, batch {}, depth {}, op {}\n", stores,
             streams, batch, depth, op);
  fmt::print("requests       {}\n", count);
  fmt::print("region errors  {}\n", errors);
  fmt::print("throughput     {:.0f} requests/s\n", static_cast<double>(count) / elapsed);
  fmt::print("server CPU     {:.2f} us/request ({:.2f} cores)\n",
             static_cast<double>(server_cpu.count()) / static_cast<double>(count),
             static_cast<double>(server_cpu.count()) / 1e6 / elapsed);
  fmt::print("client CPU     {:.2f} us/request\n",
             static_cast<double>(client_cpu.count()) / static_cast<double>(count));
  return errors == 0 ? 0 : 1;
}
