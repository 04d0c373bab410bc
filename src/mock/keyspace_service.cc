#include "mock/keyspace_service.h"

#include "mock/pd_request_check.h"

namespace tikvbench::mock {

KeyspaceService::KeyspaceService(uint64_t cluster_id, const KeyspaceDirectory& directory,
                                 const PdMembership& membership, size_t member)
    : cluster_id_(cluster_id), directory_(directory), membership_(membership), member_(member) {}

grpc::ServerUnaryReactor* KeyspaceService::LoadKeyspace(grpc::CallbackServerContext* ctx,
                                                        const keyspacepb::LoadKeyspaceRequest* request,
                                                        keyspacepb::LoadKeyspaceResponse* response) {
  auto* reactor = ctx->DefaultReactor();
  if (auto refusal = pd_request_refusal(cluster_id_, membership_.is_leader(member_), request->header())) {
    reactor->Finish(*refusal);
    return reactor;
  }
  auto* header = response->mutable_header();
  header->set_cluster_id(cluster_id_);
  if (auto meta = directory_.find(request->name())) {
    *response->mutable_keyspace() = std::move(*meta);
  } else {
    header->mutable_error()->set_type(pdpb::ENTRY_NOT_FOUND);
    header->mutable_error()->set_message("[PD:keyspace:ErrKeyspaceNotFound]keyspace does not exist");
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace tikvbench::mock
