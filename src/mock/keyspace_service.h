// KeyspaceService is one mock PD member's keyspacepb.Keyspace service:
// LoadKeyspace looks a keyspace up by name, as API v2 clients do at start
// (client-go asks for "DEFAULT" when no keyspace is named).
//   - A follower answers UNAVAILABLE "not leader", as PD's validateRequest.
//   - A request naming another cluster fails with FAILED_PRECONDITION.
//   - An unknown name gets PD's ENTRY_NOT_FOUND header error
//     "[PD:keyspace:ErrKeyspaceNotFound]keyspace does not exist".
// The service's other RPCs answer UNIMPLEMENTED.
//
// Thread safety: gRPC calls it from its own threads.
// Lifetime: directory and membership must outlive the server serving it.
#pragma once

#include <cstdint>

#include "keyspacepb.grpc.pb.h"
#include "mock/keyspace_directory.h"
#include "mock/pd_membership.h"

namespace tikvbench::mock {

class KeyspaceService final : public keyspacepb::Keyspace::CallbackService {
 public:
  KeyspaceService(uint64_t cluster_id, const KeyspaceDirectory& directory, const PdMembership& membership,
                  size_t member);

  grpc::ServerUnaryReactor* LoadKeyspace(grpc::CallbackServerContext* ctx,
                                         const keyspacepb::LoadKeyspaceRequest* request,
                                         keyspacepb::LoadKeyspaceResponse* response) override;

 private:
  const uint64_t cluster_id_;
  const KeyspaceDirectory& directory_;
  const PdMembership& membership_;
  const size_t member_;
};

}  // namespace tikvbench::mock
