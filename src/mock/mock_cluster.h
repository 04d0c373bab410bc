// MockCluster is an in-process TiKV cluster for tests, demos and
// self-benchmarks: a PD of one or more members and N stores, each a real
// gRPC server on its own loopback port speaking TiKV's and PD's protocols
// (see docs/mock-cluster.md for what it implements and where it differs).
//
// Construction starts everything and returns when all servers listen; the
// destructor stops chaos, cancels open calls and joins its threads.
//
// On-command actions (split, transfer_leader, stop_store, start_store, the
// PD members' stop_pd, start_pd, move_pd_leader) and chaos run on the cluster's control thread or the caller's; they block until
// done and return an empty string on success or a one-line error.
//
// Thread safety: every public method may be called from any thread except
// from inside a gRPC handler of this cluster.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>

#include "mock/chaos_runner.h"
#include "mock/chaos_spec.h"
#include "mock/delay_queue.h"
#include "mock/fault_injector.h"
#include "mock/keyspace_directory.h"
#include "mock/pd_member.h"
#include "mock/pd_membership.h"
#include "mock/raw_handler.h"
#include "mock/region_table.h"
#include "mock/store_directory.h"
#include "mock/store_server.h"
#include "mock/unserved_calls.h"

namespace grpc {
class Server;
class ServerCredentials;
}

namespace tikvbench::mock {

// TLS for the mock's servers, as PEM text. With a CA, clients must present a
// certificate it signed (mutual TLS, as TiKV with security.ca-path).
struct ServerTls {
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
  bool enabled() const { return !cert_pem.empty(); }
};

struct MockClusterOptions {
  std::string host = "127.0.0.1";   // where PD and the stores listen
  std::string advertise_host;        // the host clients are told (PD members, store addresses); empty: host
  uint16_t pd_port = 0;              // the first PD member's; 0: pick a free port
  int pd_members = 1;                 // PD members, 1 to 7
  // One port per PD member; empty: pd_port and the ports after it (all 0
  // when pd_port is 0).
  std::vector<uint16_t> pd_ports;
  // After PD's leader is lost or moved, how long no member leads (an
  // election), as GetMembers then shows.
  std::chrono::nanoseconds pd_election = std::chrono::seconds(1);
  int stores = 3;
  std::vector<uint16_t> store_ports;  // empty, or one per store (0: pick)
  int replicas = 3;                   // peers per region, at most `stores`
  uint64_t cluster_id = 0;            // 0: derive one from the seed
  size_t split_keys = 100'000;        // split a region past this many keys (0: never)
  // Regions at start, each holding an equal share of the go-ycsb keys of
  // records 0..region_records-1 under `region_key_prefix` (see
  // ycsb_split_keys.h); API v1 only. region_records 0: 10 × regions.
  size_t regions = 1;
  size_t region_records = 0;
  std::string region_key_prefix = "usertable:user";
  // A stopped store's leaders move to a running peer after this long, as
  // raft elects a new leader (0: at once).
  std::chrono::nanoseconds election_timeout = std::chrono::seconds(1);
  ChaosSpec chaos;
  LatencySpec latency;
  // At most this many raw requests a second, over every store together;
  // those above it queue (RateCap). 0: no cap.
  double rate_cap = 0;
  uint64_t seed = 1;
  ServerTls tls;  // plaintext when empty
  kvrpcpb::APIVersion api_version = kvrpcpb::V1;  // V2: see RawHandlerOptions
  // Named keyspaces besides DEFAULT, for LoadKeyspace. With API v2 each
  // gets regions of its own at start, as PD splits a new keyspace's range.
  std::vector<KeyspaceSpec> keyspaces;
};

class MockCluster {
 public:
  // Starts PD and the stores. Throws std::invalid_argument for impossible
  // options and std::runtime_error when a port cannot be bound.
  explicit MockCluster(MockClusterOptions options);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  const MockClusterOptions& options() const { return options_; }
  uint64_t cluster_id() const { return cluster_id_; }
  std::string pd_address() const;  // the first member's "127.0.0.1:port"
  std::vector<std::string> pd_addresses() const;  // every member's, in order
  // "ADVERTISE_HOST:port", as PD reports addresses to clients.
  std::string advertised(uint16_t port) const;
  // Credentials every server of this cluster listens with.
  std::shared_ptr<grpc::ServerCredentials> server_credentials() const { return credentials_; }
  std::vector<uint64_t> store_ids() const { return stores_.ids(); }
  // The address of a store; REQUIRES: the store exists.
  std::string store_address(uint64_t store_id) const;
  bool store_running(uint64_t store_id) const { return stores_.running(store_id); }
  uint64_t requests_served() const;
  // When any store first served a request since the last call (steady
  // clock), or nullopt when none did; starts the watch again.
  std::optional<std::chrono::steady_clock::time_point> take_first_request();

  RegionTable& regions() { return table_; }
  FaultInjector& faults() { return faults_; }
  KeyspaceDirectory& keyspaces() { return keyspace_directory_; }
  // Calls answered UNIMPLEMENTED, by method, on PD and on the stores.
  const UnservedCalls& pd_unserved() const { return pd_unserved_; }
  const UnservedCalls& store_unserved() const { return store_unserved_; }

  // Splits a region at `key`, or at its median key when none is given.
  std::string split(uint64_t region_id, std::optional<std::string> key = std::nullopt);
  // Splits whatever region contains `key` (a request key; in API v2 with its
  // 'r' prefix) at `key`.
  std::string split_at(const std::string& raw_key);
  // Moves a region's leader to `store_id`, or to a random running peer.
  std::string transfer_leader(uint64_t region_id, std::optional<uint64_t> store_id = std::nullopt);
  // Stops a store: its port refuses connections; its leaders move to running
  // peers after the election timeout.
  std::string stop_store(uint64_t store_id);
  std::string start_store(uint64_t store_id);

  // PD members are numbered from 1. The leader's number; nullopt during an
  // election.
  std::optional<size_t> pd_leader() const;
  bool pd_running(size_t member) const;
  // Starts an election that `member` (or a random other running member)
  // wins after the election window.
  std::string move_pd_leader(std::optional<size_t> member = std::nullopt);
  // Stops a member: its port refuses connections; when it led, the others
  // elect a leader after the election window.
  std::string stop_pd(size_t member);
  std::string start_pd(size_t member);
  // What chaos has done so far, and a wait for it (see ChaosRunner).
  ChaosStats chaos_stats() const { return chaos_->stats(); }
  bool wait_for_chaos(const std::function<bool(const ChaosStats&)>& done, std::chrono::nanoseconds timeout) const {
    return chaos_->wait_until(done, timeout);
  }

  // Waits until the work posted to the control thread before this call
  // (splits) has run. Elections are timers, even with a zero timeout, and
  // may run after it returns. Blocks; REQUIRES: not on the control thread.
  void wait_for_background_work();

  // A random index in [0, n), from the cluster's seeded generator.
  // REQUIRES: n > 0.
  size_t random_index(size_t n);

 private:
  StoreServer* server(uint64_t store_id) const;
  PdMember* pd_member(size_t member) const;
  // No member leads until the election window has passed; then `preferred`
  // if it runs, else a random running member, wins.
  void start_pd_election(std::optional<size_t> preferred);
  // Gives every named keyspace's API v2 raw range regions of its own.
  void split_keyspace_ranges();

  const MockClusterOptions options_;
  const uint64_t cluster_id_;
  const std::shared_ptr<grpc::ServerCredentials> credentials_;

  // Threads: delay_io_ holds replies back (injected latency); control_io_
  // runs splits, elections and chaos. Both outlive the servers.
  asio::io_context delay_io_;
  asio::io_context control_io_;
  asio::executor_work_guard<asio::io_context::executor_type> delay_work_;
  asio::executor_work_guard<asio::io_context::executor_type> control_work_;
  std::thread delay_thread_;
  std::thread control_thread_;

  StoreDirectory stores_;
  RegionTable table_;
  FaultInjector faults_;
  RawHandler handler_;
  KeyspaceDirectory keyspace_directory_;
  TsoAllocator tso_;
  PdMembership pd_membership_;
  // PD's client opens the resource manager's token stream at start and
  // writes to it only under resource control, which the raw API never uses.
  UnservedCalls pd_unserved_{UnservedCalls::Style::kGrpcGo,
                             {"pdpb.PD", "keyspacepb.Keyspace"},
                             {"/resource_manager.ResourceManager/AcquireTokenBuckets"}};
  UnservedCalls store_unserved_{UnservedCalls::Style::kGrpcCore, {}};
  std::vector<std::unique_ptr<PdMember>> pd_members_;  // Constant after construction.
  std::vector<std::unique_ptr<StoreServer>> store_servers_;  // Constant after construction.

  std::mutex rng_mu_;
  uint64_t rng_state_;  // Guarded by rng_mu_.

  // Leaders leave a stopped store after the election timeout.
  std::unique_ptr<DelayQueue> elections_;
  std::unique_ptr<ChaosRunner> chaos_;
};

}  // namespace tikvbench::mock
