// ClusterClient wires the client together: event loops, PD client, region
// cache, transport (batch or unary), sender and the raw API. It is what the
// CLI and the workloads hold.
//
// connect() blocks the calling thread (never an event-loop thread) until PD
// answers or the connect timeout passes; run() runs a coroutine on a loop and
// waits for it, for callers outside the loops.
//
// Thread safety: raw() operations may run on any of loops(); run() may be
// called from any non-loop thread.
// Lifetime: the destructor closes the transport, then stops the loops; every
// operation must have finished before.
#pragma once

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/use_future.hpp>

#include "pd/grpc_pd_client.h"
#include "rpc/channel_factory.h"
#include "rpc/event_loops.h"
#include "tikv/codec_pd_client.h"
#include "tikv/raw_client.h"
#include "tikv/region_cache.h"
#include "tikv/region_request_sender.h"
#include "tikv/store_liveness.h"
#include "tikv/store_transport.h"

namespace tikvbench::tikv {

enum class TransportKind { kBatch, kUnary };

struct ClientOptions {
  std::vector<std::string> pd;  // endpoints, "host:port"
  size_t threads = 0;           // 0: one per core
  TransportKind transport = TransportKind::kBatch;
  TransportOptions transport_options;
  std::chrono::nanoseconds connect_timeout = std::chrono::seconds(10);
  std::chrono::nanoseconds pd_timeout = std::chrono::seconds(3);
  uint64_t cluster_id = 0;  // the cluster to insist on; 0: whichever PD answers
  RawClientOptions raw;
  kvrpcpb::APIVersion api_version = kvrpcpb::V1;
  uint32_t keyspace_id = 0;  // API v2 only
  // API v2: the keyspace by name, looked up in PD at connect (replaces
  // keyspace_id); empty: keyspace_id.
  std::string keyspace_name;
  rpc::TlsFiles tls;
  bool warm_cache = true;  // load every region at start (ScanRegions)
  // Where the client records what it observes (stores down and up, leader
  // moves, splits, busy stores, PD leader changes, backoffs run out); may be
  // null. Must outlive the client.
  EventLog* events = nullptr;
};

class ClusterClient {
 public:
  // Connects to PD, finds a keyspace given by name, and warms the region
  // cache. Fails with kUnavailable when no PD answered within the connect
  // timeout (the message names the endpoints and the last error); with
  // kInvalidArgument when PD belongs to another cluster, or the named
  // keyspace is unknown or not ENABLED. Throws std::invalid_argument for
  // bad TLS files. Blocks.
  static Result<std::unique_ptr<ClusterClient>> connect(ClientOptions options);
  ~ClusterClient();
  ClusterClient(const ClusterClient&) = delete;
  ClusterClient& operator=(const ClusterClient&) = delete;

  RawClient& raw() { return *raw_; }
  rpc::EventLoops& loops() { return loops_; }
  ClientStats& stats() { return stats_; }
  const ClientStats& stats() const { return stats_; }
  RegionCache& cache() { return cache_; }
  const RegionCache& cache() const { return cache_; }
  pd::GrpcPdClient& pd() { return pd_; }
  const StoreLiveness& liveness() const { return liveness_; }
  // Mean requests per BatchCommands message (batch transport; else 0).
  double mean_batch_size() const;
  // What the BatchCommands streams carried so far (batch transport; else
  // zeros).
  struct BatchTotals {
    uint64_t streams = 0;   // opened, reconnects included
    uint64_t messages = 0;  // written
    uint64_t requests = 0;  // carried by those messages
  };
  BatchTotals batch_totals() const;
  // Server misbehaviour seen on BatchCommands streams, non-zero counts by
  // kind: unmatched_reply, undecodable_reply, stream_truncated,
  // stream_reset (batch transport; else empty). See BatchStream.
  std::map<std::string, uint64_t> stream_faults() const;

  // Runs `task` on loop `index` and waits for its result. Blocks.
  template <class T>
  T run(asio::awaitable<T> task, size_t index = 0) {
    return asio::co_spawn(loops_.executor(index % loops_.size()), std::move(task), asio::use_future).get();
  }

 private:
  explicit ClusterClient(ClientOptions options);

  const ClientOptions options_;
  rpc::EventLoops loops_;  // First: destroyed last.
  rpc::ChannelFactory channels_;
  pd::GrpcPdClient pd_;
  CodecPdClient codec_pd_;  // region keys as PD spells them (API v2)
  RegionCache cache_;
  ClientStats stats_;
  std::unique_ptr<StoreTransport> transport_;
  StoreLiveness liveness_;  // health checks of stores a send could not reach
  std::unique_ptr<RegionRequestSender> sender_;
  std::unique_ptr<RawClient> raw_;
};

}  // namespace tikvbench::tikv
