#include "mock/pd_service.h"

#include <fmt/format.h>

#include "mock/answering_stream.h"
#include "mock/pd_request_check.h"

namespace tikvbench::mock {

PdService::PdService(const Dependencies& shared, size_t member)
    : cluster_id_(shared.cluster_id),
      membership_(shared.membership),
      member_(member),
      table_(shared.table),
      stores_(shared.stores),
      tso_(shared.tso) {}

bool PdService::admit(grpc::ServerUnaryReactor* reactor, const pdpb::RequestHeader& header,
                      pdpb::ResponseHeader* reply_header) const {
  if (auto refusal = pd_request_refusal(cluster_id_, membership_.is_leader(member_), header)) {
    reactor->Finish(*refusal);
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

template <typename RegionMessage>
void PdService::fill_region(const RegionInfo& info, RegionMessage* message) const {
  *message->mutable_region() = info.meta;
  *message->mutable_leader() = info.leader;
  add_down_peers(info.meta, message->mutable_down_peers());
}

grpc::ServerUnaryReactor* PdService::GetClusterInfo(grpc::CallbackServerContext* ctx,
                                                    const pdpb::GetClusterInfoRequest* request,
                                                    pdpb::GetClusterInfoResponse* response) {
  // No cluster-id check: clients ask before they know the id. PD serves TSO
  // itself (no separate TSO service), so no tso_urls.
  response->mutable_header()->set_cluster_id(cluster_id_);
  response->add_servicemodes(pdpb::PD_SVC_MODE);
  auto* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* PdService::GetMembers(grpc::CallbackServerContext* ctx,
                                                const pdpb::GetMembersRequest* request,
                                                pdpb::GetMembersResponse* response) {
  // No cluster-id check: this is how clients learn the id. Every member
  // answers, followers included.
  response->mutable_header()->set_cluster_id(cluster_id_);
  membership_.fill(response);
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

grpc::ServerUnaryReactor* PdService::BatchScanRegions(grpc::CallbackServerContext* ctx,
                                                      const pdpb::BatchScanRegionsRequest* request,
                                                      pdpb::BatchScanRegionsResponse* response) {
  auto* reactor = ctx->DefaultReactor();
  if (!admit(reactor, request->header(), response->mutable_header())) return reactor;
  const auto& ranges = request->ranges();
  for (int i = 0; i < ranges.size(); ++i) {
    const auto& range = ranges[i];
    std::string_view error;
    if (i > 0 && range.start_key() < ranges[i - 1].end_key()) error = "invalid key range, ranges overlapped";
    if (!range.end_key().empty() && range.start_key() > range.end_key()) {
      error = "invalid key range, start key > end key";
    }
    if (!error.empty()) {
      response->mutable_header()->mutable_error()->set_type(pdpb::UNKNOWN);
      response->mutable_header()->mutable_error()->set_message(std::string(error));
      reactor->Finish(grpc::Status::OK);
      return reactor;
    }
  }
  // The regions cover the whole key space, so contain_all_key_range always
  // holds. A region spanning two ranges is listed once.
  const size_t limit = request->limit() > 0 ? static_cast<size_t>(request->limit()) : 0;
  uint64_t last_id = 0;
  for (const auto& range : ranges) {
    for (const auto& info : table_.scan(range.start_key(), range.end_key(), limit)) {
      if (limit > 0 && static_cast<size_t>(response->regions_size()) >= limit) break;
      if (info.meta.id() == last_id) continue;
      last_id = info.meta.id();
      fill_region(info, response->add_regions());
    }
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerBidiReactor<pdpb::TsoRequest, pdpb::TsoResponse>* PdService::Tso(grpc::CallbackServerContext*) {
  return AnsweringStream<pdpb::TsoRequest, pdpb::TsoResponse>::start(
      [this](const pdpb::TsoRequest& request) -> std::variant<pdpb::TsoResponse, grpc::Status> {
        if (auto refusal = pd_request_refusal(cluster_id_, membership_.is_leader(member_), request.header())) {
          return *refusal;
        }
        if (request.count() == 0) {
          return grpc::Status(grpc::StatusCode::UNKNOWN,
                              "[PD:tso:ErrGenerateTimestamp]generate timestamp failed, tso count should be positive");
        }
        if (request.count() >= TsoAllocator::kMaxLogical) {  // more than one millisecond holds; PD's clients ask for far fewer
          return grpc::Status(grpc::StatusCode::UNKNOWN,
                              fmt::format("[PD:tso:ErrGenerateTimestamp]generate timestamp failed, tso count {} "
                                          "exceeds the {} of one millisecond",
                                          request.count(), TsoAllocator::kMaxLogical - 1));
        }
        const TsoTimestamp last = tso_.allocate(request.count());
        pdpb::TsoResponse response;
        response.mutable_header()->set_cluster_id(cluster_id_);
        response.set_count(request.count());
        response.mutable_timestamp()->set_physical(last.physical);
        response.mutable_timestamp()->set_logical(last.logical);
        return response;
      });
}

pdpb::QueryRegionResponse PdService::query_regions(const pdpb::QueryRegionRequest& request) const {
  pdpb::QueryRegionResponse response;
  response.mutable_header()->set_cluster_id(cluster_id_);
  auto& by_id = *response.mutable_regions_by_id();
  const auto add = [&](const RegionInfo& info) {
    const uint64_t id = info.meta.id();
    if (!by_id.count(id)) fill_region(info, &by_id[id]);
    return id;
  };
  for (const auto& key : request.keys()) response.add_key_id_map(add(table_.info_for_key(key)));
  for (const auto& key : request.prev_keys()) {
    // No region before the first: id 0, as PD answers a key it cannot place.
    auto info = table_.info_before_key(key);
    response.add_prev_key_id_map(info ? add(*info) : 0);
  }
  for (const uint64_t id : request.ids()) {
    if (id == 0 || by_id.count(id)) continue;
    // An unknown id maps to an empty entry (PD's nil), so the client learns
    // the region is gone.
    if (auto info = table_.info_by_id(id)) {
      add(*info);
    } else {
      by_id[id];
    }
  }
  return response;
}

grpc::ServerBidiReactor<pdpb::QueryRegionRequest, pdpb::QueryRegionResponse>* PdService::QueryRegion(
    grpc::CallbackServerContext*) {
  return AnsweringStream<pdpb::QueryRegionRequest, pdpb::QueryRegionResponse>::start(
      [this](const pdpb::QueryRegionRequest& request)
          -> std::variant<pdpb::QueryRegionResponse, grpc::Status> {
        // Followers answer too, from their region syncer's copy.
        if (auto refusal = pd_request_refusal(cluster_id_, /*leads=*/true, request.header())) return *refusal;
        return query_regions(request);
      });
}

}  // namespace tikvbench::mock
