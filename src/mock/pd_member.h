// PdMember is one member of the mock PD: its own gRPC server on its own port
// serving pdpb.PD and keyspacepb.Keyspace for that member (PdService,
// KeyspaceService), gRPC's Health, and UNIMPLEMENTED for the rest.
// Whether it leads is PdMembership's to say.
//
// start() binds (the first time on the given port, 0 picking one; later on
// the same port) and serves; stop() shuts the server down at once: open
// calls and streams are cancelled and the port refuses connections, as a
// killed PD's would.
//
// Thread safety: every method may be called from any thread but a gRPC
// handler of this member.
// Lifetime: everything passed in must outlive the member.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>

#include "mock/keyspace_service.h"
#include "mock/pd_service.h"
#include "mock/unserved_calls.h"

namespace tikvbench::mock {

class PdMember {
 public:
  // `name` is how messages call it ("PD", "PD member 2").
  PdMember(size_t index, std::string name, std::string host, uint16_t port, PdService::Dependencies pd,
           const KeyspaceDirectory& keyspaces, UnservedCalls& unserved,
           std::shared_ptr<grpc::ServerCredentials> credentials);
  ~PdMember();
  PdMember(const PdMember&) = delete;
  PdMember& operator=(const PdMember&) = delete;

  // Throws std::runtime_error naming the address when the port cannot be
  // bound. No-op when already running.
  void start();
  // No-op when stopped.
  void stop();

  bool running() const;
  size_t index() const { return index_; }
  uint16_t port() const;

 private:
  const size_t index_;
  const std::string name_;
  const std::string host_;
  const std::shared_ptr<grpc::ServerCredentials> credentials_;
  PdService pd_service_;
  KeyspaceService keyspace_service_;
  UnservedCalls& unserved_;

  mutable std::mutex mu_;
  uint16_t port_;                                                    // Guarded by mu_; fixed after the first start.
  std::unique_ptr<grpc::CallbackGenericService> unserved_service_;  // Guarded by mu_; outlives server_.
  std::unique_ptr<grpc::Server> server_;                             // Guarded by mu_; null when stopped.
};

}  // namespace tikvbench::mock
