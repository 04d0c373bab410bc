// What a run shows of the cluster, with the binary driven as a user drives
// it against `tikv-bench mock-cluster` processes: a slow store in the
// per-store figures (JSON, CSV, status line, HTML); a stopped store in the
// events and the longest stretch without a success; events a user writes
// to a FIFO and POSTs to the metrics address; availability windows and
// their thresholds.
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>

#include <asio/ip/tcp.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "support/http_client.h"
#include "support/mock_process.h"
#include "support/run_binary.h"
#include "support/temp_dir.h"

BOOST_AUTO_TEST_SUITE(cluster_view_test)

namespace {

using nlohmann::json;
using tikvbench::test::BinaryRun;
using tikvbench::test::MockProcess;
using tikvbench::test::read_json;
using tikvbench::test::read_text;
using tikvbench::test::TempDir;

BinaryRun run(const std::string& args) { return tikvbench::test::run_binary(args); }

const std::string kReadUpdate =
    "name: mixed\nkeyspace:\n  records: 300\nmix:\n  read: 0.5\n  update: 0.5\nload:\n  concurrency: 16\n";

// A port free now, for --metrics-addr.
uint16_t free_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

// Waits until a store of `mock` has served a request since the last ask.
void wait_for_requests(MockProcess& mock) {
  while (mock.ask("first-request") == "first-request none") std::this_thread::yield();
}

// The events of `doc` of `kind` (and `store`, when not 0).
std::vector<json> events_of(const json& doc, const std::string& kind, uint64_t store = 0) {
  std::vector<json> out;
  for (const auto& event : doc["events"]) {
    if (event["kind"] != kind) continue;
    if (store != 0 && (!event["store"].is_number() || event["store"].get<uint64_t>() != store)) continue;
    out.push_back(event);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_slow_store_shows_in_the_per_store_figures) {
  // Three regions led by stores 1, 2 and 3; store 2 answers in 60 ms.
  MockProcess mock(TIKV_BENCH_PATH, 3, {"--regions", "3", "--region-records", "300"});
  mock.command("latency 60ms 2");
  TempDir dir("cluster_view_slow");
  const auto spec = dir.file("mixed.yaml", kReadUpdate);
  const auto result = run(fmt::format("run -P {} --pd {} --duration 3s --plain-status --json {} --csv {} --html {}",
                                      spec, mock.pd_address(), dir.file("run.json"), dir.file("run.csv"),
                                      dir.file("run.html")));
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.output);
  const auto doc = read_json(dir.file("run.json"));
  const auto& stores = doc["stores"];
  BOOST_TEST_REQUIRE(stores.size() == 3u, doc["stores"].dump());
  std::set<std::string> addresses;
  uint64_t counted = 0;
  for (const auto& [id, store] : stores.items()) {
    addresses.insert(store["address"].get<std::string>());
    for (const auto& [op, figures] : store["ops"].items()) counted += figures["count"].get<uint64_t>();
  }
  const std::set<std::string> expected(mock.store_addresses().begin(), mock.store_addresses().end());
  BOOST_TEST((addresses == expected));
  // Every operation counts for exactly one store.
  BOOST_TEST(counted == doc["total"]["count"].get<uint64_t>());
  const auto p50 = [&](const std::string& store) {
    return stores[store]["ops"]["read"]["intended_latency_us"]["p50"].get<int64_t>();
  };
  BOOST_TEST(p50("2") >= 60'000);
  BOOST_TEST(p50("1") < p50("2"));
  BOOST_TEST(p50("3") < p50("2"));
  // The interval records keep the stores' figures too.
  bool store_intervals = false;
  for (const auto& interval : doc["intervals"]) {
    if (interval["stores"].contains("2") && interval["stores"]["2"]["read"]["p99_us"].get<int64_t>() >= 60'000) {
      store_intervals = true;
    }
  }
  BOOST_TEST(store_intervals);
  // The status line names the slowest store; the summary has a row per store.
  BOOST_TEST(result.output.find("slowest store 2") != std::string::npos, result.output);
  BOOST_TEST(result.output.find("store    address") != std::string::npos, result.output);
  // The CSV: rows per interval and store, the store in the last column.
  const auto csv = read_text(dir.file("run.csv"));
  BOOST_TEST(csv.find(",store\n") != std::string::npos);
  BOOST_TEST(csv.find(",2\n") != std::string::npos, csv.substr(0, 2000));
  // The HTML: a chart per store, and the table.
  const auto html = read_text(dir.file("run.html"));
  BOOST_TEST(html.find("id=\"store-2\"") != std::string::npos);
  BOOST_TEST(html.find("<section id=\"stores\">") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_batch_split_over_stores_counts_once_for_each_store_it_went_to) {
  // Six regions, two led by each of three stores; batches of 30 keys of 300
  // touch most regions.
  MockProcess mock(TIKV_BENCH_PATH, 3, {"--regions", "6", "--region-records", "300"});
  TempDir dir("cluster_view_batch");
  const auto spec = dir.file("batch.yaml",
                             "name: batch\nkeyspace:\n  records: 300\nmix:\n  batch_get: 1\n  batch_size: 30\n"
                             "load:\n  concurrency: 8\n");
  const auto result = run(fmt::format("run -P {} --pd {} --duration 2s --plain-status --json {}", spec,
                                      mock.pd_address(), dir.file("run.json")));
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.output);
  const auto doc = read_json(dir.file("run.json"));
  const uint64_t batches = doc["ops"]["batch_get"]["count"].get<uint64_t>();
  BOOST_TEST_REQUIRE(batches > 0u);
  BOOST_TEST_REQUIRE(doc["stores"].size() == 3u, doc["stores"].dump());
  uint64_t shares = 0;
  for (const auto& [id, store] : doc["stores"].items()) {
    const uint64_t count = store["ops"]["batch_get"]["count"].get<uint64_t>();
    BOOST_TEST(count <= batches, "store " << id);  // once per batch, however many of its regions it touched
    shares += count;
  }
  BOOST_TEST(shares > batches);  // batches went to several stores, each counting them
}

BOOST_AUTO_TEST_CASE(a_store_stopped_for_3s_shows_in_the_events_and_the_longest_gap) {
  MockProcess mock(TIKV_BENCH_PATH, 1);
  TempDir dir("cluster_view_stop");
  const auto spec = dir.file("mixed.yaml", kReadUpdate);
  BinaryRun result;
  mock.ask("first-request");  // starts the watch: the run's first request comes after
  std::thread runner([&] {
    result = run(fmt::format("run -P {} --pd {} --duration 9s --plain-status --slo 'read.p99<1s' "
                             "--threshold 'max_gap<1s' --threshold 'availability>=99.9%' --json {} --html {}",
                             spec, mock.pd_address(), dir.file("run.json"), dir.file("run.html")));
  });
  wait_for_requests(mock);
  mock.command("stop-store 1");
  std::this_thread::sleep_for(std::chrono::seconds(3));  // the outage itself, not a wait for an event
  mock.command("start-store 1");
  runner.join();
  // The gap and the broken windows fail the thresholds: exit 1.
  BOOST_TEST(result.exit_code == tikvbench::kExitThresholdFailed, result.output);
  const auto doc = read_json(dir.file("run.json"));
  const auto down = events_of(doc, "store_down", 1);
  const auto up = events_of(doc, "store_up", 1);
  BOOST_TEST_REQUIRE(down.size() >= 1u, doc["events"].dump());
  BOOST_TEST_REQUIRE(up.size() >= 1u, doc["events"].dump());
  BOOST_TEST(up.front()["t"].get<double>() > down.front()["t"].get<double>());
  BOOST_TEST(up.front()["detail"] == mock.store_addresses().front());
  const auto& availability = doc["availability"];
  BOOST_TEST(availability["longest_gap_s"].get<double>() >= 2.0, availability.dump());
  BOOST_TEST(availability["broken"].get<uint64_t>() >= 2u, availability.dump());
  BOOST_TEST(availability["availability_pct"].get<double>() < 100.0);
  BOOST_TEST(availability["worst_window"]["broke"][0] == "no successful operation");
  BOOST_TEST(!availability["broken_ranges"].empty());
  // As they happen on the status lines, and in the summary and thresholds.
  BOOST_TEST(result.output.find("event ") != std::string::npos, result.output);
  BOOST_TEST(result.output.find("store_down store 1") != std::string::npos, result.output);
  BOOST_TEST(result.output.find("threshold max_gap<1s: FAILED") != std::string::npos, result.output);
  BOOST_TEST(result.output.find("availability: ") != std::string::npos, result.output);
  const auto html = read_text(dir.file("run.html"));
  BOOST_TEST(html.find("class=\"marker\"") != std::string::npos);
  BOOST_TEST(html.find("class=\"slo-broken\"") != std::string::npos);
  BOOST_TEST(html.find("<section id=\"availability\">") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_client_names_leader_moves_splits_and_busy_stores) {
  MockProcess mock(TIKV_BENCH_PATH, 3);
  TempDir dir("cluster_view_client_events");
  const auto spec = dir.file("mixed.yaml", kReadUpdate);
  const uint16_t port = free_port();
  BinaryRun result;
  std::atomic<bool> done{false};
  std::thread runner([&] {
    result = run(fmt::format("run -P {} --pd {} --duration 8s --plain-status --metrics-addr {} --json {}", spec,
                             mock.pd_address(), port, dir.file("run.json")));
    done = true;
  });
  // What the run has published so far (empty until its metrics server
  // answers).
  const auto metrics = [&] {
    try {
      return tikvbench::test::get(port, "/metrics").body;
    } catch (const std::exception&) {
      return std::string();
    }
  };
  const auto wait_for = [&](const std::string& needle) {
    while (!done && metrics().find(needle) == std::string::npos) std::this_thread::yield();
  };
  wait_for("tikv_bench_operations_total");  // the run is under way
  // "region ID [...) ... leader store S ...": move the only region's leader.
  const auto region = mock.lines("regions").front();
  mock.command("transfer-leader " + region.substr(7, region.find(' ', 7) - 7));
  wait_for("tikv_bench_events_total{kind=\"leader_move\"}");
  mock.command("split-key usertable:user5");
  mock.command("busy 5%");
  runner.join();
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.output);
  const auto doc = read_json(dir.file("run.json"));
  const auto moves = events_of(doc, "leader_move");
  BOOST_TEST_REQUIRE(!moves.empty(), doc["events"].dump());
  BOOST_TEST(moves.front()["detail"].get<std::string>().find("from store ") == 0u);
  BOOST_TEST(!events_of(doc, "split_or_merge").empty(), doc["events"].dump());
  const auto busy = events_of(doc, "server_busy");
  BOOST_TEST_REQUIRE(!busy.empty(), doc["events"].dump());
  // A burst is one event a second with its count, not one per answer.
  uint64_t answers = 0;
  for (const auto& event : busy) answers += event["count"].get<uint64_t>();
  BOOST_TEST(answers > busy.size(), doc["events"].dump());
  // Busy answers are retried, counted for the store that gave them.
  uint64_t store_busy = 0;
  for (const auto& [store, figures] : doc["stores"].items()) {
    if (figures["retries_by_kind"].contains("server_is_busy")) {
      store_busy += figures["retries_by_kind"]["server_is_busy"].get<uint64_t>();
    }
  }
  BOOST_TEST(store_busy == doc["retries_by_kind"]["server_is_busy"].get<uint64_t>());
}

BOOST_AUTO_TEST_CASE(user_events_come_from_a_fifo_and_from_post) {
  MockProcess mock(TIKV_BENCH_PATH, 1);
  TempDir dir("cluster_view_user");
  const auto spec = dir.file("mixed.yaml", kReadUpdate);
  const auto fifo = dir.file("events.fifo");
  std::remove(fifo.c_str());
  BOOST_TEST_REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  const uint16_t port = free_port();
  BinaryRun result;
  std::atomic<bool> done{false};
  std::thread runner([&] {
    result = run(fmt::format("run -P {} --pd {} --duration 4s --plain-status --events {} --metrics-addr {} --json {}",
                             spec, mock.pd_address(), fifo, port, dir.file("run.json")));
    done = true;
  });
  // The FIFO opens for writing once the run has opened it for reading.
  int fd = -1;
  while (fd < 0 && !done) {
    fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd < 0) std::this_thread::yield();
  }
  BOOST_TEST_REQUIRE(fd >= 0);
  const std::string line = "kill tikv-1\n";
  BOOST_TEST(::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
  ::close(fd);
  // The metrics server is up once it answers.
  const std::string body = "partition pd\n\nheal pd\n";
  const std::string request = fmt::format(
      "POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{}", body.size(), body);
  tikvbench::test::HttpResponse response;
  while (!done) {
    try {
      response = tikvbench::test::parse_response(tikvbench::test::round_trip(port, request));
      break;
    } catch (const std::exception&) {
      std::this_thread::yield();
    }
  }
  BOOST_TEST(response.status == 200);
  BOOST_TEST(response.body == "2 events\n");
  runner.join();
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.output);
  const auto doc = read_json(dir.file("run.json"));
  const auto user = events_of(doc, "user");
  std::set<std::string> details;
  for (const auto& event : user) details.insert(event["detail"].get<std::string>());
  BOOST_TEST((details == std::set<std::string>{"kill tikv-1", "partition pd", "heal pd"}), doc["events"].dump());
  BOOST_TEST(result.output.find("user: kill tikv-1") != std::string::npos, result.output);
}

BOOST_AUTO_TEST_CASE(bad_window_slo_and_events_flags_are_refused_on_one_line) {
  TempDir dir("cluster_view_bad");
  const auto spec = dir.file("mixed.yaml", kReadUpdate);
  auto result = run(fmt::format("run -P {} --duration 1s --slo 'read.p99<<1ms'", spec));
  BOOST_TEST(result.exit_code == tikvbench::kExitUsage, result.output);
  BOOST_TEST(result.output.find("--slo") != std::string::npos, result.output);
  result = run(fmt::format("run -P {} --duration 1s --window 100ms", spec));
  BOOST_TEST(result.exit_code == tikvbench::kExitUsage, result.output);
  BOOST_TEST(result.output.find("--window 100ms") != std::string::npos, result.output);
  result = run(fmt::format("run -P {} --duration 1s --window 1500ms", spec));
  BOOST_TEST(result.exit_code == tikvbench::kExitUsage, result.output);
  BOOST_TEST(result.output.find("--window 1500ms: not a whole number of status intervals") != std::string::npos,
             result.output);
  result = run(fmt::format("run -P {} --duration 1s --events {}", spec, dir.file("")));
  BOOST_TEST(result.exit_code == tikvbench::kExitUsage, result.output);
  BOOST_TEST(result.output.find("--events") != std::string::npos, result.output);
}

BOOST_AUTO_TEST_SUITE_END()
