#include "mock/pd_service.h"

#include <fmt/format.h>

namespace tikvbench::mock {

PdService::PdService(uint64_t cluster_id, uint64_t member_id, RegionTable& table, StoreDirectory& stores)
    : cluster_id_(cluster_id), member_id_(member_id), table_(table), stores_(stores) {}

void PdService::set_client_url(std::string url) {
  std::lock_guard lock(mu_);
  client_url_ = std::move(url);
}

pdpb::Member PdService::member() const {
  pdpb::Member member;
  member.set_name("pd-mock");
  member.set_member_id(member_id_);
  std::lock_guard lock(mu_);
  member.add_client_urls(client_url_);
  member.add_peer_urls(client_url_);
  return member;
}

bool PdService::admit(grpc::ServerUnaryReactor* reactor, const pdpb::RequestHeader& header,
                      pdpb::ResponseHeader* reply_header) const {
  if (header.cluster_id() != cluster_id_) {
    reactor->Finish(grpc::Status(
        grpc::StatusCode::FAILED_PRECONDITION,
        fmt::format("mismatch cluster id, need {} but got {}", cluster_id_, header.cluster_id())));
    return false;
  }
  reply_header->set_cluster_id(cluster_id_);
  return true;
}

void PdService::add_down_peers(const metapb::Region& region,
                               google::protobuf::RepeatedPtrField<pdpb::PeerStats>* down) const {
  for (const auto& peer : region.peers()) {
    if (auto seconds = stores_.down_seconds(peer.store_id())) {
      auto* stats = down->Add();
      *stats->mutable_peer() = peer;
      stats->set_down_seconds(*seconds);
    }
  }
}

void PdService::fill_region(const RegionInfo& info, pdpb::GetRegionResponse* response) const {
  *response->mutable_region() = info.meta;
  *response->mutable_leader() = info.leader;
  add_down_peers(info.meta, response->mutable_down_peers());
}

grpc::ServerUnaryReactor* PdService::GetMembers(grpc::CallbackServerContext* ctx,
                                                const pdpb::GetMembersRequest* request,
                                                pdpb::GetMembersResponse* response) {
  // No cluster-id check: this is how clients learn the id.
  response->mutable_header()->set_cluster_id(cluster_id_);
  const auto self = member();
  *response->add_members() = self;
  *response->mutable_leader() = self;
  *response->mutable_etcd_leader() = self;
  auto* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* PdService::GetStore(grpc::CallbackServerContext* ctx,
                                              const pdpb::GetStoreRequest* request,
                                              pdpb::GetStoreResponse* response) {
  auto* reactor = ctx->DefaultReactor();
  if (!admit(reactor, request->header(), response->mutable_header())) return reactor;
  if (auto store = stores_.get(request->store_id())) {
    *response->mutable_store() = *store;
  } else {
    auto* error = response->mutable_header()->mutable_error();
    error->set_type(pdpb::UNKNOWN);
    error->set_message(fmt::format("invalid store ID {}, not found", request->store_id()));
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* PdService::GetAllStores(grpc::CallbackServerContext* ctx,
                                                  const pdpb::GetAllStoresRequest* request,
                                                  pdpb::GetAllStoresResponse* response) {
  auto* reactor = ctx->DefaultReactor();
  if (!admit(reactor, request->header(), response->mutable_header())) return reactor;
  // Stores are never removed, so exclude_tombstone_stores changes nothing.
  for (auto& store : stores_.all()) *response->add_stores() = std::move(store);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* PdService::GetRegion(grpc::CallbackServerContext* ctx,
                                               const pdpb::GetRegionRequest* request,
                                               pdpb::GetRegionResponse* response) {
  auto* reactor = ctx->DefaultReactor();
  if (!admit(reactor, request->header(), response->mutable_header())) return reactor;
  fill_region(table_.info_for_key(request->region_key()), response);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* PdService::GetPrevRegion(grpc::CallbackServerContext* ctx,
                                                   const pdpb::GetRegionRequest* request,
                                                   pdpb::GetRegionResponse* response) {
  auto* reactor = ctx->DefaultReactor();
  if (!admit(reactor, request->header(), response->mutable_header())) return reactor;
  if (auto info = table_.info_before_key(request->region_key())) fill_region(*info, response);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* PdService::GetRegionByID(grpc::CallbackServerContext* ctx,
                                                   const pdpb::GetRegionByIDRequest* request,
                                                   pdpb::GetRegionResponse* response) {
  auto* reactor = ctx->DefaultReactor();
  if (!admit(reactor, request->header(), response->mutable_header())) return reactor;
  if (auto info = table_.info_by_id(request->region_id())) fill_region(*info, response);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* PdService::ScanRegions(grpc::CallbackServerContext* ctx,
                                                 const pdpb::ScanRegionsRequest* request,
                                                 pdpb::ScanRegionsResponse* response) {
  auto* reactor = ctx->DefaultReactor();
  if (!admit(reactor, request->header(), response->mutable_header())) return reactor;
  const size_t limit = request->limit() > 0 ? static_cast<size_t>(request->limit()) : 0;
  for (auto& info : table_.scan(request->start_key(), request->end_key(), limit)) {
    // Both the legacy parallel lists and the newer `regions`, as PD fills them.
    *response->add_region_metas() = info.meta;
    *response->add_leaders() = info.leader;
    auto* region = response->add_regions();
    add_down_peers(info.meta, region->mutable_down_peers());
    *region->mutable_leader() = std::move(info.leader);
    *region->mutable_region() = std::move(info.meta);
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace tikvbench::mock
