// GrpcPdClient talks to a PD cluster over gRPC, as PD's Go client does.
// connect() asks every given endpoint for its members (GetMembers): all that
// answer must report one cluster id (and the one --cluster-id names);
// endpoints that do not answer are tried again later among the members. It
// learns the leader from a member that names one: during an election
// members name none, and the answering member is never taken for the
// leader. Then every request goes to the leader with the cluster id in its
// header. A request that fails (unreachable leader, "not leader" from a
// follower) makes the next one rediscover the leader among the known
// members and endpoints; the caller backs off pdRPC between attempts. The
// members are refreshed every minute by the first request after it (the
// others keep using the leader meanwhile), as client-go refreshes them.
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

#include "keyspacepb.grpc.pb.h"
#include "pd/pd_client.h"
#include "pdpb.grpc.pb.h"
#include "rpc/channel_factory.h"
#include "util/event_log.h"

namespace tikvbench::pd {

struct PdClientOptions {
  std::vector<std::string> endpoints;  // "host:port", the --pd list
  std::chrono::nanoseconds connect_timeout = std::chrono::seconds(10);
  std::chrono::nanoseconds request_timeout = std::chrono::seconds(3);
  uint64_t cluster_id = 0;  // the cluster PD must belong to (--cluster-id); 0: any
  // Where a change of PD leader is recorded (kind "pd_leader_change"); may
  // be null. Must outlive the client.
  EventLog* events = nullptr;
};

class GrpcPdClient final : public PdClient {
 public:
  GrpcPdClient(PdClientOptions options, const rpc::ChannelFactory& channels);

  // Finds the leader and the cluster id, retrying with pdRPC backoff until
  // the connect timeout. Fails with kUnavailable naming every endpoint tried
  // and the last error (no answer, or no leader); at once with
  // kInvalidArgument when a PD belongs to another cluster than
  // options.cluster_id, or two endpoints to different clusters. Suspends.
  asio::awaitable<Status> connect();

  uint64_t cluster_id() const override;
  std::string leader_address() const;

  asio::awaitable<Result<PdRegion>> get_region(std::string key) override;
  asio::awaitable<Result<PdRegion>> get_prev_region(std::string key) override;
  asio::awaitable<Result<PdRegion>> get_region_by_id(uint64_t region_id) override;
  asio::awaitable<Result<std::vector<PdRegion>>> scan_regions(std::string start, std::string end,
                                                               int limit) override;
  asio::awaitable<Result<metapb::Store>> get_store(uint64_t store_id) override;
  // An API v2 keyspace by name (keyspacepb.Keyspace/LoadKeyspace). Fails
  // with kInvalidArgument when PD knows no such keyspace. Suspends.
  asio::awaitable<Result<keyspacepb::KeyspaceMeta>> load_keyspace(std::string name);

 private:
  // How often the members are asked again while a leader is known.
  static constexpr std::chrono::minutes kMembersRefresh{1};

  // One member's answer to GetMembers.
  struct MembersAnswer {
    std::string address;   // who answered
    uint64_t cluster_id = 0;
    std::string leader;    // its client address; empty during an election
    std::vector<std::string> members;
  };

  struct Leader {
    std::string address;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<pdpb::PD::Stub> stub;
  };

  // Asks one address for its members. Suspends.
  asio::awaitable<Result<MembersAnswer>> ask_members(const std::string& address, std::chrono::nanoseconds budget);
  // connect()'s one try: every endpoint, the cluster ids compared, the
  // leader installed if a member names one. Suspends.
  asio::awaitable<Status> connect_once(std::chrono::nanoseconds budget);
  // Asks the known members and endpoints in turn until one names a leader
  // of this cluster; installs it. Suspends. `budget` bounds the whole.
  asio::awaitable<Status> discover(std::chrono::nanoseconds budget);
  // Installs the answer's leader, members and cluster id.
  void install(const MembersAnswer& answer);
  static Status no_leader(size_t asked);
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
  std::string last_leader_;                 // Guarded by mu_: the last leader installed, for its changes
  bool discovering_ = false;                // Guarded by mu_: a request is looking for the leader.
  std::chrono::steady_clock::time_point refreshed_at_;  // Guarded by mu_: members last asked.
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_by_address_;  // Guarded by mu_.
};

// Splits a comma-separated --pd list into endpoints, dropping "http://".
// Throws std::invalid_argument when an entry is not HOST:PORT.
std::vector<std::string> parse_pd_endpoints(std::string_view list);

}  // namespace tikvbench::pd
