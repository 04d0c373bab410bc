#include "cli/mock_cluster_command.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <memory>
#include <string>

#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/read_until.hpp>
#include <asio/signal_set.hpp>
#include <asio/streambuf.hpp>
#include <fmt/format.h>

#include "cli/exit_codes.h"
#include "mock/admin_commands.h"
#include "mock/mock_cluster.h"
#include "util/duration.h"
#include "util/host_port.h"

namespace tikvbench::cli {
namespace {

struct Flags {
  std::string pd = "127.0.0.1:2379";
  std::string advertise_host;
  int stores = 3;
  std::string store_ports;  // "20160,20161,20162"; empty: 20160 + i
  int replicas = 3;
  uint64_t cluster_id = 0;
  size_t split_keys = 100'000;
  size_t regions = 1;
  size_t region_records = 0;
  std::string region_key_prefix = "usertable:user";
  std::string election_timeout = "1s";
  std::string chaos;
  std::string latency = "0";
  double rate_cap = 0;
  uint64_t seed = 1;
  bool exit_on_eof = false;
  std::string api_version = "v1";
  std::string ca, cert, key;
  std::vector<std::string> keyspaces;  // NAME or NAME=ID
  int pd_members = 0;                  // 0: one per --pd address
  std::string election = "1s";
};

// --pd: one address per member, or one address for all (ports following).
// Every member listens on the same host.
void apply_pd_addresses(const Flags& flags, mock::MockClusterOptions& options) {
  std::vector<HostPort> addresses;
  size_t start = 0;
  while (start <= flags.pd.size()) {
    const size_t comma = std::min(flags.pd.find(',', start), flags.pd.size());
    addresses.push_back(parse_host_port(flags.pd.substr(start, comma - start)));
    start = comma + 1;
  }
  options.host = addresses[0].host;
  options.pd_port = addresses[0].port;
  options.pd_members = flags.pd_members > 0 ? flags.pd_members : static_cast<int>(addresses.size());
  for (const auto& address : addresses) {
    if (address.host != options.host) {
      throw std::invalid_argument(fmt::format("--pd {}: every PD member listens on one host", flags.pd));
    }
  }
  if (addresses.size() > 1) {
    if (addresses.size() != static_cast<size_t>(options.pd_members)) {
      throw std::invalid_argument(
          fmt::format("--pd lists {} addresses for --pd-members {}", addresses.size(), options.pd_members));
    }
    for (const auto& address : addresses) options.pd_ports.push_back(address.port);
  }
}

std::string read_pem(const std::string& flag, const std::string& path) {
  if (path.empty()) return {};
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(fmt::format("{} {}: cannot read the file", flag, path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<uint16_t> parse_ports(const std::string& text, int stores, uint16_t pd_port) {
  std::vector<uint16_t> ports;
  if (text.empty()) {
    // TiKV's own default port and the ones after it; any free port when PD's is.
    for (int i = 0; i < stores; ++i) ports.push_back(pd_port == 0 ? 0 : static_cast<uint16_t>(20160 + i));
    return ports;
  }
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    ports.push_back(parse_host_port(text.substr(start, comma - start)).port);
    start = comma + 1;
  }
  return ports;
}

// Reads admin commands from standard input and answers on standard output,
// until the input ends. Suspends; ends on cancellation or end of input.
class StdinCommands {
 public:
  StdinCommands(asio::io_context& io, mock::AdminCommands& commands) : input_(io), commands_(commands) {}

  // Starts reading; returns false when stdin cannot be watched (a regular
  // file or closed), in which case no commands are read.
  bool start(std::function<void()> on_eof) {
    std::error_code ec;
    input_.assign(::dup(STDIN_FILENO), ec);
    if (ec) return false;
    on_eof_ = std::move(on_eof);
    read_next();
    return true;
  }
  void cancel() {
    std::error_code ignored;
    input_.cancel(ignored);
  }

 private:
  void read_next() {
    asio::async_read_until(input_, buffer_, '\n', [this](std::error_code ec, size_t) {
      if (ec == asio::error::operation_aborted) return;
      std::istream stream(&buffer_);
      std::string line;
      while (std::getline(stream, line)) {
        if (stream.eof()) {  // a partial line at the end of input
          if (!line.empty()) std::fputs(commands_.execute(line).c_str(), stdout);
          break;
        }
        std::fputs(commands_.execute(line).c_str(), stdout);
      }
      std::fflush(stdout);
      if (ec) {
        if (on_eof_) on_eof_();
        return;
      }
      read_next();
    });
  }

  asio::posix::stream_descriptor input_;
  asio::streambuf buffer_;
  mock::AdminCommands& commands_;
  std::function<void()> on_eof_;
};

int run(const Flags& flags) {
  mock::MockClusterOptions options;
  apply_pd_addresses(flags, options);
  options.pd_election = parse_duration(flags.election);
  options.advertise_host = flags.advertise_host;
  options.stores = flags.stores;
  options.store_ports = parse_ports(flags.store_ports, flags.stores, options.pd_port);
  options.replicas = flags.replicas;
  options.cluster_id = flags.cluster_id;
  options.split_keys = flags.split_keys;
  options.regions = flags.regions;
  options.region_records = flags.region_records;
  options.region_key_prefix = flags.region_key_prefix;
  options.election_timeout = parse_duration(flags.election_timeout);
  options.chaos = mock::parse_chaos(flags.chaos);
  options.latency = mock::parse_latency(flags.latency);
  if (!(flags.rate_cap >= 0)) throw std::invalid_argument("--rate-cap: must be 0 (no cap) or above");
  options.rate_cap = flags.rate_cap;
  options.seed = flags.seed;
  options.api_version = flags.api_version == "v2" ? kvrpcpb::V2 : kvrpcpb::V1;
  for (const auto& text : flags.keyspaces) options.keyspaces.push_back(mock::parse_keyspace_spec(text));
  if (flags.cert.empty() != flags.key.empty()) throw std::invalid_argument("--cert and --key go together");
  if (!flags.ca.empty() && flags.cert.empty()) throw std::invalid_argument("--ca needs --cert and --key");
  options.tls = mock::ServerTls{read_pem("--ca", flags.ca), read_pem("--cert", flags.cert), read_pem("--key", flags.key)};

  asio::io_context io;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::unique_ptr<mock::MockCluster> cluster;
  try {
    cluster = std::make_unique<mock::MockCluster>(options);
  } catch (const std::runtime_error& e) {
    fmt::print(stderr, "tikv-bench mock-cluster: {}\n", e.what());
    return kExitRuntime;
  }

  fmt::print("tikv-bench mock-cluster: cluster id {}, {} stores, {} regions, {} replicas, split at {} keys, "
             "chaos {}, latency {}, api {}, {}\n",
             cluster->cluster_id(), options.stores, cluster->regions().size(), options.replicas, options.split_keys,
             options.chaos.to_string(), options.latency.text, flags.api_version,
             options.tls.enabled() ? "tls" : "plaintext");
  for (const auto& address : cluster->pd_addresses()) fmt::print("pd {}\n", address);
  for (uint64_t id : cluster->store_ids()) fmt::print("store {} {}\n", id, cluster->store_address(id));
  for (const auto& meta : cluster->keyspaces().all()) fmt::print("keyspace {} {}\n", meta.name(), meta.id());
  fmt::print("ready\n");
  std::fflush(stdout);

  mock::AdminCommands commands(*cluster);
  StdinCommands input(io, commands);
  input.start([&] {
    if (flags.exit_on_eof) signals.cancel();
  });
  signals.async_wait([&](std::error_code ec, int signal) {
    if (!ec) fmt::print(stderr, "tikv-bench mock-cluster: {} received, stopping\n", signal == SIGINT ? "SIGINT" : "SIGTERM");
    input.cancel();
  });
  io.run();
  cluster.reset();
  return kExitOk;
}

}  // namespace

void add_mock_cluster_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand("mock-cluster", "Run a mock TiKV cluster (PD + stores) on loopback");
  cmd->add_option("--advertise-host", flags->advertise_host,
                  "The host clients are told for PD and the stores (default: the --pd host; set it when listening "
                  "on 0.0.0.0, e.g. to the container's service name)");
  cmd->add_option("--pd", flags->pd,
                  "PD address(es) to listen on: HOST:PORT, or one per member, comma-separated (port 0 picks one)")
      ->capture_default_str();
  cmd->add_option("--pd-members", flags->pd_members,
                  "PD members (default: one per --pd address); with one --pd address the others take the ports "
                  "after it")
      ->check(CLI::Range(1, 7));
  cmd->add_option("--election", flags->election,
                  "After PD's leader is lost or moved, how long no member leads")
      ->capture_default_str();
  cmd->add_option("--stores", flags->stores, "Number of stores")->capture_default_str()->check(CLI::Range(1, 64));
  cmd->add_option("--store-ports", flags->store_ports,
                  "Comma-separated store ports (default 20160, 20161, ...; 0 picks one)");
  cmd->add_option("--replicas", flags->replicas, "Peers per region")->capture_default_str()->check(CLI::Range(1, 64));
  cmd->add_option("--cluster-id", flags->cluster_id, "Cluster id (default: derived from --seed)");
  cmd->add_option("--split-keys", flags->split_keys, "Split a region when it holds more keys than this (0: never)")
      ->capture_default_str();
  cmd->add_option("--regions", flags->regions,
                  "Regions at start, each holding an equal share of the keys of --region-records go-ycsb records "
                  "(hashed inserts), led round-robin by the stores")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{10'000'000}));
  cmd->add_option("--region-records", flags->region_records,
                  "The recordcount --regions shares out (default: 10 per region); its keys are go-ycsb's, so "
                  "where they fall depends on it")
      ->check(CLI::Range(size_t{1}, size_t{100'000'000}));
  cmd->add_option("--region-key-prefix", flags->region_key_prefix,
                  "The keys --regions spreads over: this prefix and a go-ycsb key hash (go-ycsb's raw driver: "
                  "usertable:user)")
      ->capture_default_str();
  cmd->add_option("--election-timeout", flags->election_timeout,
                  "A stopped store's leaders move to a running peer after this long")
      ->capture_default_str();
  cmd->add_option("--chaos", flags->chaos,
                  "Faults at intervals, e.g. split=2s,transfer-leader=1s,restart-store=30s,downtime=3s,busy=0.5%");
  cmd->add_option("--latency", flags->latency, "Reply latency: 2ms, uniform:1ms-5ms, exp:2ms, normal:5ms,1ms")
      ->capture_default_str();
  cmd->add_option("--rate-cap", flags->rate_cap,
                  "Serve at most this many raw requests per second over all stores; above it requests queue and "
                  "latency climbs (0: no cap)")
      ->capture_default_str();
  cmd->add_option("--seed", flags->seed, "Seed for chaos choices and injected faults")->capture_default_str();
  cmd->add_flag("--exit-on-eof", flags->exit_on_eof, "Stop when standard input ends");
  cmd->add_option("--api-version", flags->api_version, "Storage API version: v1 or v2 (keyspaces)")
      ->capture_default_str()
      ->check(CLI::IsMember({"v1", "v2"}));
  cmd->add_option("--keyspace", flags->keyspaces,
                  "A keyspace besides DEFAULT, NAME or NAME=ID, served by LoadKeyspace (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--cert", flags->cert, "Serve TLS with this certificate (PEM)");
  cmd->add_option("--key", flags->key, "The certificate's private key (PEM)");
  cmd->add_option("--ca", flags->ca, "Require client certificates signed by this CA (PEM)");
  cmd->callback([flags, &exit_code] { exit_code = run(*flags); });
}

}  // namespace tikvbench::cli
