// PdService is the mock cluster's PD (pdpb.PD) over gRPC's callback API:
// GetClusterInfo, GetMembers, the Tso stream, GetStore, GetAllStores,
// GetRegion, GetPrevRegion, GetRegionByID, the QueryRegion stream,
// ScanRegions and BatchScanRegions, answered as PD answers them.
// One instance serves one PD member (see PdMembership).
//   - Every request but GetMembers and GetClusterInfo must reach the leader
//     and carry this cluster's id in its header; a follower answers
//     UNAVAILABLE "not leader", a mismatch FAILED_PRECONDITION, failing the
//     call or ending the stream (see pd_request_check.h). QueryRegion is
//     answered by followers too, as PD's followers answer it from their
//     region syncer.
//   - GetClusterInfo reports PD mode (TSO served by PD itself); GetMembers
//     lists every member with its client URL ("http://host:port") and the
//     leader, none during an election.
//   - Tso answers each request with `count` timestamps, strictly increasing
//     (a count of 0 ends the stream with UNKNOWN, as PD does).
//   - Regions come with their leader, and with the peers on stopped stores
//     as down_peers. A region that does not exist gives an empty reply with
//     no header error, as PD does; an unknown store gives an UNKNOWN error.
//     QueryRegion answers keys, previous keys and ids in one message per
//     request, as PD's router client expects.
// RPCs outside the subset answer UNIMPLEMENTED.
//
// Thread safety: gRPC calls it from its own threads; state lives in the
// table and directory, which synchronize themselves.
// Lifetime: membership, table, stores and tso must outlive the server
// serving this service.
#pragma once

#include <cstdint>

#include "mock/pd_membership.h"
#include "mock/region_table.h"
#include "mock/store_directory.h"
#include "mock/tso_allocator.h"
#include "pdpb.grpc.pb.h"

namespace tikvbench::mock {

class PdService final : public pdpb::PD::CallbackService {
 public:
  // What every member's service shares. `tso` is one for all members, so
  // that timestamps keep increasing across leader changes.
  struct Dependencies {
    uint64_t cluster_id;
    const PdMembership& membership;
    RegionTable& table;
    StoreDirectory& stores;
    TsoAllocator& tso;
  };
  // Serves member `member` of `shared.membership`.
  PdService(const Dependencies& shared, size_t member);

  grpc::ServerUnaryReactor* GetClusterInfo(grpc::CallbackServerContext* ctx,
                                           const pdpb::GetClusterInfoRequest* request,
                                           pdpb::GetClusterInfoResponse* response) override;
  grpc::ServerUnaryReactor* GetMembers(grpc::CallbackServerContext* ctx, const pdpb::GetMembersRequest* request,
                                       pdpb::GetMembersResponse* response) override;
  grpc::ServerUnaryReactor* GetStore(grpc::CallbackServerContext* ctx, const pdpb::GetStoreRequest* request,
                                     pdpb::GetStoreResponse* response) override;
  grpc::ServerUnaryReactor* GetAllStores(grpc::CallbackServerContext* ctx,
                                         const pdpb::GetAllStoresRequest* request,
                                         pdpb::GetAllStoresResponse* response) override;
  grpc::ServerUnaryReactor* GetRegion(grpc::CallbackServerContext* ctx, const pdpb::GetRegionRequest* request,
                                      pdpb::GetRegionResponse* response) override;
  grpc::ServerUnaryReactor* GetPrevRegion(grpc::CallbackServerContext* ctx, const pdpb::GetRegionRequest* request,
                                          pdpb::GetRegionResponse* response) override;
  grpc::ServerUnaryReactor* GetRegionByID(grpc::CallbackServerContext* ctx,
                                          const pdpb::GetRegionByIDRequest* request,
                                          pdpb::GetRegionResponse* response) override;
  grpc::ServerUnaryReactor* ScanRegions(grpc::CallbackServerContext* ctx, const pdpb::ScanRegionsRequest* request,
                                        pdpb::ScanRegionsResponse* response) override;
  grpc::ServerUnaryReactor* BatchScanRegions(grpc::CallbackServerContext* ctx,
                                             const pdpb::BatchScanRegionsRequest* request,
                                             pdpb::BatchScanRegionsResponse* response) override;
  grpc::ServerBidiReactor<pdpb::TsoRequest, pdpb::TsoResponse>* Tso(grpc::CallbackServerContext* ctx) override;
  grpc::ServerBidiReactor<pdpb::QueryRegionRequest, pdpb::QueryRegionResponse>* QueryRegion(
      grpc::CallbackServerContext* ctx) override;

 private:
  // Finishes `reactor` and returns false when this member does not lead or
  // the header names another cluster; otherwise sets the reply header.
  bool admit(grpc::ServerUnaryReactor* reactor, const pdpb::RequestHeader& header,
             pdpb::ResponseHeader* reply_header) const;
  // Down peers of a region: its peers on stores that are not running.
  void add_down_peers(const metapb::Region& region,
                      google::protobuf::RepeatedPtrField<pdpb::PeerStats>* down) const;
  // Fills any of PD's region messages (GetRegionResponse, Region,
  // RegionResponse): the region, its leader and its down peers.
  template <typename RegionMessage>
  void fill_region(const RegionInfo& info, RegionMessage* message) const;
  pdpb::QueryRegionResponse query_regions(const pdpb::QueryRegionRequest& request) const;

  const uint64_t cluster_id_;
  const PdMembership& membership_;
  const size_t member_;
  RegionTable& table_;
  StoreDirectory& stores_;
  TsoAllocator& tso_;
};

}  // namespace tikvbench::mock
