// GrpcPdClient talks to a PD cluster over gRPC. connect() asks the given
// endpoints for their members (GetMembers), learns the cluster id and the
// leader, and then every request goes to the leader with the cluster id in
// its header. A request that fails (unreachable leader, "not leader") makes
// the next one rediscover the leader among the known members and endpoints;
// the caller backs off pdRPC between attempts.
//
// One request at a time looks for the leader: while it does, the others
// fail at once (kUnavailable) and back off, so that thousands of requests in
// flight do not all ask PD for its members together (a storm that can keep
// a busy PD from ever answering in time). Channels are kept per address and
// reused, as gRPC reconnects them itself.
//
// Thread safety: every method may be called from any event-loop thread.
// Lifetime: the channel factory must outlive the client.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <asio/any_io_executor.hpp>

#include "pd/pd_client.h"
#include "pdpb.grpc.pb.h"
#include "rpc/channel_factory.h"

namespace tikvbench::pd {

struct PdClientOptions {
  std::vector<std::string> endpoints;  // "host:port", the --pd list
  std::chrono::nanoseconds connect_timeout = std::chrono::seconds(10);
  std::chrono::nanoseconds request_timeout = std::chrono::seconds(3);
  uint64_t cluster_id = 0;  // the cluster PD must belong to (--cluster-id); 0: any
};

class GrpcPdClient final : public PdClient {
 public:
  GrpcPdClient(PdClientOptions options, const rpc::ChannelFactory& channels);

  // Finds the leader and the cluster id, retrying with pdRPC backoff until
  // the connect timeout. Fails with kUnavailable naming every endpoint tried
  // and the last gRPC error; at once with kInvalidArgument when a PD
  // belongs to another cluster than options.cluster_id (or, later, than the
  // one found first). Suspends.
  asio::awaitable<Status> connect();

  uint64_t cluster_id() const override;
  std::string leader_address() const;

  asio::awaitable<Result<PdRegion>> get_region(std::string key) override;
  asio::awaitable<Result<PdRegion>> get_prev_region(std::string key) override;
  asio::awaitable<Result<PdRegion>> get_region_by_id(uint64_t region_id) override;
  asio::awaitable<Result<std::vector<PdRegion>>> scan_regions(std::string start, std::string end,
                                                               int limit) override;
  asio::awaitable<Result<metapb::Store>> get_store(uint64_t store_id) override;

 private:
  struct Leader {
    std::string address;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<pdpb::PD::Stub> stub;
  };

  // Asks each known address for its members until one answers; installs the
  // leader. Suspends. `budget` bounds each attempt.
  asio::awaitable<Status> discover(std::chrono::nanoseconds budget);
  // The leader's stub, discovering it first when unknown; kUnavailable at
  // once while another request is discovering it. Suspends.
  asio::awaitable<Result<std::shared_ptr<Leader>>> leader();
  // The channel to `address`, made on first use.
  std::shared_ptr<grpc::Channel> channel_to(const std::string& address);
  void forget_leader(const std::shared_ptr<Leader>& failed);
  pdpb::RequestHeader header() const;
  // Translates a reply's gRPC status and header; forgets the leader on errors
  // that mean it is gone.
  Status check(const grpc::Status& status, const pdpb::ResponseHeader& header,
               const std::shared_ptr<Leader>& leader, std::string_view rpc);
  // Sends one request to the leader, with the cluster id in its header.
  // `start(stub, ctx, request, reply, done)` starts the RPC. Suspends.
  template <class Reply, class Request, class Start>
  asio::awaitable<Result<Reply>> call(std::string_view rpc, Request request, Start start);
  static Result<PdRegion> region_of(const Result<pdpb::GetRegionResponse>& reply, std::string_view missing);
  static PdRegion to_region(const metapb::Region& region, const metapb::Peer& leader,
                            const google::protobuf::RepeatedPtrField<pdpb::PeerStats>& down);

  const PdClientOptions options_;
  const rpc::ChannelFactory& channels_;

  mutable std::mutex mu_;
  uint64_t cluster_id_ = 0;                 // Guarded by mu_.
  std::vector<std::string> members_;        // Guarded by mu_: known client addresses.
  std::shared_ptr<Leader> leader_;          // Guarded by mu_; null: rediscover.
  bool discovering_ = false;                // Guarded by mu_: a request is looking for the leader.
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_by_address_;  // Guarded by mu_.
};

// Splits a comma-separated --pd list into endpoints, dropping "http://".
// Throws std::invalid_argument when an entry is not HOST:PORT.
std::vector<std::string> parse_pd_endpoints(std::string_view list);

}  // namespace tikvbench::pd
