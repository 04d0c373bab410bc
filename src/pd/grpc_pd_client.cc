#include "pd/grpc_pd_client.h"

#include <algorithm>

#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "rpc/unary_call.h"
#include "rpc/backoff.h"
#include "util/duration.h"
#include "util/host_port.h"

namespace tikvbench::pd {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kUseAwaitable = asio::experimental::as_tuple(asio::use_awaitable);

std::string strip_scheme(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.starts_with(scheme)) url.remove_prefix(scheme.size());
  }
  return std::string(url);
}

Status from_grpc(const grpc::Status& status, std::string_view rpc, std::string_view address) {
  const auto code = status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ? StatusCode::kTimeout
                                                                               : StatusCode::kUnavailable;
  return Status(code, fmt::format("PD {} at {}: {} ({})", rpc, address, status.error_message(),
                                  static_cast<int>(status.error_code())));
}

}  // namespace

std::vector<std::string> parse_pd_endpoints(std::string_view list) {
  std::vector<std::string> endpoints;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item.empty()) continue;
    endpoints.push_back(parse_host_port(item).to_string());
  }
  if (endpoints.empty()) throw std::invalid_argument("--pd names no endpoint");
  return endpoints;
}

GrpcPdClient::GrpcPdClient(PdClientOptions options, const rpc::ChannelFactory& channels)
    : options_(std::move(options)), channels_(channels) {}

uint64_t GrpcPdClient::cluster_id() const {
  std::lock_guard lock(mu_);
  return cluster_id_;
}

std::string GrpcPdClient::leader_address() const {
  std::lock_guard lock(mu_);
  return leader_ ? leader_->address : std::string();
}

pdpb::RequestHeader GrpcPdClient::header() const {
  pdpb::RequestHeader header;
  header.set_cluster_id(cluster_id());
  return header;
}

asio::awaitable<Status> GrpcPdClient::connect() {
  const auto deadline = Clock::now() + options_.connect_timeout;
  rpc::Backoffer backoff(std::chrono::duration_cast<std::chrono::milliseconds>(options_.connect_timeout), 1);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  Status last;
  for (;;) {
    const auto left = deadline - Clock::now();
    if (left <= std::chrono::nanoseconds(0)) break;
    last = co_await connect_once(left);
    if (last.ok() || last.code() == StatusCode::kInvalidArgument) co_return last;
    const auto sleep = backoff.next(rpc::BackoffKind::kPdRpc);
    if (!sleep) break;
    timer.expires_at(std::min(deadline, Clock::now() + *sleep));
    co_await timer.async_wait(kUseAwaitable);
  }
  std::string tried;
  for (const auto& endpoint : options_.endpoints) tried += (tried.empty() ? "" : ", ") + endpoint;
  // PD answered but named no leader (an election that did not end), or
  // nothing answered at all.
  const bool answered = last.message().starts_with("PD has no leader");
  co_return Status(StatusCode::kUnavailable,
                   fmt::format("{} within {} (tried {}): {}", answered ? "no PD leader found" : "no PD answered",
                               format_duration(options_.connect_timeout), tried,
                               last.ok() ? "no answer" : last.message()));
}

asio::awaitable<Result<GrpcPdClient::MembersAnswer>> GrpcPdClient::ask_members(const std::string& address,
                                                                               std::chrono::nanoseconds budget) {
  auto channel = channel_to(address);
  auto stub = pdpb::PD::NewStub(channel);
  pdpb::GetMembersRequest request;
  auto [status, reply] = co_await rpc::async_unary<pdpb::GetMembersResponse>(
      [&](grpc::ClientContext* ctx, pdpb::GetMembersResponse* out, auto done) {
        stub->async()->GetMembers(ctx, &request, out, std::move(done));
      },
      std::min<std::chrono::nanoseconds>(budget, options_.request_timeout), kUseAwaitable);
  if (!status.ok()) co_return from_grpc(status, "GetMembers", address);
  if (reply.header().has_error() || reply.header().cluster_id() == 0) {
    co_return Status(StatusCode::kUnavailable,
                     fmt::format("PD GetMembers at {}: {}", address, reply.header().error().message()));
  }
  MembersAnswer answer;
  answer.address = address;
  answer.cluster_id = reply.header().cluster_id();
  // A member that names no leader is in an election: never take the one
  // that answered for the leader.
  if (reply.has_leader() && reply.leader().client_urls_size() > 0) {
    answer.leader = strip_scheme(reply.leader().client_urls(0));
  }
  for (const auto& member : reply.members()) {
    for (const auto& url : member.client_urls()) answer.members.push_back(strip_scheme(url));
  }
  co_return answer;
}

asio::awaitable<Status> GrpcPdClient::connect_once(std::chrono::nanoseconds budget) {
  // Every endpoint that answers must belong to one cluster, the one
  // --cluster-id names if it does; endpoints that do not answer now are
  // tried again later, as members.
  const auto deadline = Clock::now() + budget;
  std::vector<MembersAnswer> answers;
  Status last(StatusCode::kUnavailable, "no PD endpoint answered");
  for (const auto& endpoint : options_.endpoints) {
    const auto left = deadline - Clock::now();
    if (left <= std::chrono::nanoseconds(0)) break;
    auto answer = co_await ask_members(endpoint, left);
    if (!answer.ok()) {
      last = answer.status();
      continue;
    }
    if (options_.cluster_id != 0 && answer->cluster_id != options_.cluster_id) {
      co_return Status(StatusCode::kInvalidArgument,
                       fmt::format("PD at {} belongs to cluster {}, not {} (--cluster-id)", endpoint,
                                   answer->cluster_id, options_.cluster_id));
    }
    if (!answers.empty() && answer->cluster_id != answers.front().cluster_id) {
      co_return Status(StatusCode::kInvalidArgument,
                       fmt::format("the --pd endpoints belong to different clusters: {} to cluster {}, {} to "
                                   "cluster {}",
                                   answers.front().address, answers.front().cluster_id, endpoint, answer->cluster_id));
    }
    answers.push_back(std::move(*answer));
  }
  if (answers.empty()) co_return last;
  for (const auto& answer : answers) {
    if (!answer.leader.empty()) {
      install(answer);
      co_return Status();
    }
  }
  // Remember the cluster and its members; the leader comes with a later try.
  {
    std::lock_guard lock(mu_);
    cluster_id_ = answers.front().cluster_id;
  }
  co_return no_leader(answers.size());
}

Status GrpcPdClient::no_leader(size_t asked) {
  return Status(StatusCode::kUnavailable,
                fmt::format("PD has no leader (an election is under way): {} member{} answered without one", asked,
                            asked == 1 ? "" : "s"));
}

void GrpcPdClient::install(const MembersAnswer& answer) {
  auto leader = std::make_shared<Leader>();
  leader->address = answer.leader;
  leader->channel = channel_to(leader->address);
  leader->stub = pdpb::PD::NewStub(leader->channel);
  std::lock_guard lock(mu_);
  cluster_id_ = answer.cluster_id;
  if (!answer.members.empty()) members_ = answer.members;
  if (options_.events != nullptr && !last_leader_.empty() && last_leader_ != answer.leader) {
    options_.events->add("pd_leader_change", 0, fmt::format("from {} to {}", last_leader_, answer.leader));
  }
  last_leader_ = answer.leader;
  leader_ = std::move(leader);
  refreshed_at_ = Clock::now();
}

asio::awaitable<Status> GrpcPdClient::discover(std::chrono::nanoseconds budget) {
  std::vector<std::string> candidates;
  uint64_t want = 0;
  {
    std::lock_guard lock(mu_);
    candidates = members_;
    want = cluster_id_ != 0 ? cluster_id_ : options_.cluster_id;
  }
  for (const auto& endpoint : options_.endpoints) {
    if (std::find(candidates.begin(), candidates.end(), endpoint) == candidates.end()) candidates.push_back(endpoint);
  }
  const auto deadline = Clock::now() + budget;
  Status last(StatusCode::kUnavailable, "no PD endpoint");
  size_t leaderless = 0;
  for (const auto& address : candidates) {
    const auto left = deadline - Clock::now();
    if (left <= std::chrono::nanoseconds(0)) break;
    auto answer = co_await ask_members(address, left);
    if (!answer.ok()) {
      last = answer.status();
      continue;
    }
    // A PD of another cluster is never used as a failover target.
    if (want != 0 && answer->cluster_id != want) {
      last = Status(StatusCode::kUnavailable, fmt::format("PD at {} belongs to cluster {}, not {}", address,
                                                          answer->cluster_id, want));
      continue;
    }
    if (answer->leader.empty()) {
      ++leaderless;
      continue;  // in an election: ask the next member
    }
    install(*answer);
    co_return Status();
  }
  co_return leaderless > 0 ? no_leader(leaderless) : last;
}

std::shared_ptr<grpc::Channel> GrpcPdClient::channel_to(const std::string& address) {
  std::lock_guard lock(mu_);
  auto& channel = channels_by_address_[address];
  if (!channel) channel = channels_.make(address);
  return channel;
}

asio::awaitable<Result<std::shared_ptr<GrpcPdClient::Leader>>> GrpcPdClient::leader() {
  std::shared_ptr<Leader> current;
  {
    std::lock_guard lock(mu_);
    const bool stale = leader_ && Clock::now() - refreshed_at_ >= kMembersRefresh;
    if (leader_ && (!stale || discovering_)) co_return leader_;
    if (discovering_) {
      co_return Status(StatusCode::kUnavailable, "PD leader unknown; another request is looking for it");
    }
    // Either no leader is known, or this request refreshes the members, as
    // client-go does every minute; the others keep the current leader.
    discovering_ = true;
    current = leader_;
  }
  // discover() reports every failure as a value, so the flag is cleared on
  // every path but the frame's destruction at shutdown, when nobody asks
  // again.
  const Status found = co_await discover(options_.request_timeout);
  std::lock_guard lock(mu_);
  discovering_ = false;
  if (current) {
    refreshed_at_ = Clock::now();  // tried: the next refresh is a minute away either way
    co_return leader_ ? leader_ : current;
  }
  if (!found.ok()) co_return found;
  if (!leader_) co_return Status(StatusCode::kUnavailable, "PD leader lost");
  co_return leader_;
}

void GrpcPdClient::forget_leader(const std::shared_ptr<Leader>& failed) {
  std::lock_guard lock(mu_);
  if (leader_ == failed) leader_.reset();
}

Status GrpcPdClient::check(const grpc::Status& status, const pdpb::ResponseHeader& header,
                           const std::shared_ptr<Leader>& leader, std::string_view rpc) {
  if (!status.ok()) {
    // Cancelled by its caller: nothing is wrong with PD.
    if (status.error_code() == grpc::StatusCode::CANCELLED) {
      return Status(StatusCode::kCancelled, fmt::format("PD {}: cancelled", rpc));
    }
    // Unreachable, or "not leader": find the leader again next time. A
    // cluster-id mismatch is final and says so.
    if (status.error_code() != grpc::StatusCode::FAILED_PRECONDITION) forget_leader(leader);
    const auto code = status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ? StatusCode::kInvalidArgument
                                                                                   : StatusCode::kUnavailable;
    return Status(code, fmt::format("PD {} at {}: {}", rpc, leader->address, status.error_message()));
  }
  if (header.has_error() && header.error().type() != pdpb::OK) {
    return Status(StatusCode::kServerError, fmt::format("PD {}: {} ({})", rpc, header.error().message(),
                                                        pdpb::ErrorType_Name(header.error().type())));
  }
  return Status();
}

PdRegion GrpcPdClient::to_region(const metapb::Region& region, const metapb::Peer& leader,
                                 const google::protobuf::RepeatedPtrField<pdpb::PeerStats>& down) {
  PdRegion result;
  result.meta = region;
  result.leader = leader;
  for (const auto& stats : down) result.down_peers.push_back(stats.peer());
  return result;
}

template <class Reply, class Request, class Start>
asio::awaitable<Result<Reply>> GrpcPdClient::call(std::string_view rpc, Request request, Start start) {
  auto leader = co_await this->leader();
  if (!leader.ok()) co_return leader.status();
  *request.mutable_header() = header();
  auto [status, reply] = co_await rpc::async_unary<Reply>(
      [&](grpc::ClientContext* ctx, Reply* out, auto done) {
        start(*(*leader)->stub, ctx, &request, out, std::move(done));
      },
      options_.request_timeout, kUseAwaitable);
  if (auto error = check(status, reply.header(), *leader, rpc); !error.ok()) co_return error;
  co_return std::move(reply);
}

Result<PdRegion> GrpcPdClient::region_of(const Result<pdpb::GetRegionResponse>& reply, std::string_view missing) {
  if (!reply.ok()) return reply.status();
  if (!reply->has_region()) return Status(StatusCode::kRegionError, std::string(missing));
  return to_region(reply->region(), reply->leader(), reply->down_peers());
}

asio::awaitable<Result<PdRegion>> GrpcPdClient::get_region(std::string key) {
  pdpb::GetRegionRequest request;
  request.set_region_key(std::move(key));
  auto reply = co_await call<pdpb::GetRegionResponse>(
      "GetRegion", std::move(request),
      [](auto& stub, auto* ctx, auto* in, auto* out, auto done) { stub.async()->GetRegion(ctx, in, out, std::move(done)); });
  co_return region_of(reply, "PD has no region for the key");
}

asio::awaitable<Result<PdRegion>> GrpcPdClient::get_prev_region(std::string key) {
  pdpb::GetRegionRequest request;
  request.set_region_key(std::move(key));
  auto reply = co_await call<pdpb::GetRegionResponse>(
      "GetPrevRegion", std::move(request), [](auto& stub, auto* ctx, auto* in, auto* out, auto done) {
        stub.async()->GetPrevRegion(ctx, in, out, std::move(done));
      });
  co_return region_of(reply, "PD has no region before the key");
}

asio::awaitable<Result<PdRegion>> GrpcPdClient::get_region_by_id(uint64_t region_id) {
  pdpb::GetRegionByIDRequest request;
  request.set_region_id(region_id);
  auto reply = co_await call<pdpb::GetRegionResponse>(
      "GetRegionByID", std::move(request), [](auto& stub, auto* ctx, auto* in, auto* out, auto done) {
        stub.async()->GetRegionByID(ctx, in, out, std::move(done));
      });
  co_return region_of(reply, fmt::format("PD has no region {}", region_id));
}

asio::awaitable<Result<std::vector<PdRegion>>> GrpcPdClient::scan_regions(std::string start, std::string end,
                                                                           int limit) {
  pdpb::ScanRegionsRequest request;
  request.set_start_key(std::move(start));
  request.set_end_key(std::move(end));
  request.set_limit(limit);
  auto reply = co_await call<pdpb::ScanRegionsResponse>(
      "ScanRegions", std::move(request), [](auto& stub, auto* ctx, auto* in, auto* out, auto done) {
        stub.async()->ScanRegions(ctx, in, out, std::move(done));
      });
  if (!reply.ok()) co_return reply.status();
  std::vector<PdRegion> regions;
  if (reply->regions_size() > 0) {
    for (const auto& region : reply->regions()) {
      regions.push_back(to_region(region.region(), region.leader(), region.down_peers()));
    }
  } else {
    // Older PDs fill only the parallel lists.
    for (int i = 0; i < reply->region_metas_size(); ++i) {
      regions.push_back(
          to_region(reply->region_metas(i), i < reply->leaders_size() ? reply->leaders(i) : metapb::Peer(), {}));
    }
  }
  co_return regions;
}

asio::awaitable<Result<metapb::Store>> GrpcPdClient::get_store(uint64_t store_id) {
  pdpb::GetStoreRequest request;
  request.set_store_id(store_id);
  auto reply = co_await call<pdpb::GetStoreResponse>(
      "GetStore", std::move(request),
      [](auto& stub, auto* ctx, auto* in, auto* out, auto done) { stub.async()->GetStore(ctx, in, out, std::move(done)); });
  if (!reply.ok()) co_return reply.status();
  if (!reply->has_store()) co_return Status(StatusCode::kServerError, fmt::format("PD has no store {}", store_id));
  co_return reply->store();
}

asio::awaitable<Result<keyspacepb::KeyspaceMeta>> GrpcPdClient::load_keyspace(std::string name) {
  auto leader = co_await this->leader();
  if (!leader.ok()) co_return leader.status();
  auto stub = keyspacepb::Keyspace::NewStub((*leader)->channel);
  keyspacepb::LoadKeyspaceRequest request;
  *request.mutable_header() = header();
  request.set_name(std::move(name));
  auto [status, reply] = co_await rpc::async_unary<keyspacepb::LoadKeyspaceResponse>(
      [&](grpc::ClientContext* ctx, keyspacepb::LoadKeyspaceResponse* out, auto done) {
        stub->async()->LoadKeyspace(ctx, &request, out, std::move(done));
      },
      options_.request_timeout, kUseAwaitable);
  if (status.ok() && reply.header().error().type() == pdpb::ENTRY_NOT_FOUND) {
    co_return Status(StatusCode::kInvalidArgument, reply.header().error().message());
  }
  if (auto error = check(status, reply.header(), *leader, "LoadKeyspace"); !error.ok()) co_return error;
  co_return reply.keyspace();
}

}  // namespace tikvbench::pd
