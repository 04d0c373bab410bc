// PdService is the mock cluster's PD (pdpb.PD) over gRPC's callback API:
// GetMembers, GetStore, GetAllStores, GetRegion, GetPrevRegion,
// GetRegionByID and ScanRegions, answered as PD answers them.
//   - Every request but GetMembers must carry this cluster's id in its
//     header; a mismatch fails with FAILED_PRECONDITION
//     "mismatch cluster id, need N but got M", as PD's validateRequest does.
//   - GetMembers names this PD as the only member and leader, with its
//     client URL ("http://host:port").
//   - Regions come with their leader, and with the peers on stopped stores
//     as down_peers. A region that does not exist gives an empty reply with
//     no header error, as PD does; an unknown store gives an UNKNOWN error.
// RPCs outside the subset answer UNIMPLEMENTED.
//
// Thread safety: gRPC calls it from its own threads; state lives in the
// table and directory, which synchronize themselves.
// Lifetime: table and stores must outlive the server serving this service.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "mock/region_table.h"
#include "mock/store_directory.h"
#include "pdpb.grpc.pb.h"

namespace tikvbench::mock {

class PdService final : public pdpb::PD::CallbackService {
 public:
  PdService(uint64_t cluster_id, uint64_t member_id, RegionTable& table, StoreDirectory& stores);

  // The URL clients reach this PD at; set once its server is bound.
  void set_client_url(std::string url);

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

 private:
  // Finishes `reactor` with FAILED_PRECONDITION and returns false when the
  // header names another cluster; otherwise sets the reply header.
  bool admit(grpc::ServerUnaryReactor* reactor, const pdpb::RequestHeader& header,
             pdpb::ResponseHeader* reply_header) const;
  // Down peers of a region: its peers on stores that are not running.
  void add_down_peers(const metapb::Region& region,
                      google::protobuf::RepeatedPtrField<pdpb::PeerStats>* down) const;
  void fill_region(const RegionInfo& info, pdpb::GetRegionResponse* response) const;
  pdpb::Member member() const;

  const uint64_t cluster_id_;
  const uint64_t member_id_;
  RegionTable& table_;
  StoreDirectory& stores_;
  mutable std::mutex mu_;
  std::string client_url_;  // Guarded by mu_.
};

}  // namespace tikvbench::mock
