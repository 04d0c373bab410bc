// PdMember is one member of the mock PD: its own gRPC server on its own port
// (a RestartableServer: it stops and starts again as a killed PD would)
// serving pdpb.PD and keyspacepb.Keyspace for that member (PdService,
// KeyspaceService), gRPC's Health, and UNIMPLEMENTED for the rest.
// Whether it leads is PdMembership's to say.
//
// Thread safety: every method may be called from any thread but a gRPC
// handler of this member.
// Lifetime: everything passed in must outlive the member.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <grpcpp/security/server_credentials.h>

#include "mock/keyspace_service.h"
#include "mock/pd_service.h"
#include "mock/restartable_server.h"
#include "mock/unserved_calls.h"

namespace tikvbench::mock {

class PdMember {
 public:
  // `name` is how messages call it ("PD", "PD member 2").
  PdMember(size_t index, std::string name, std::string host, uint16_t port, PdService::Dependencies pd,
           const KeyspaceDirectory& keyspaces, UnservedCalls& unserved,
           std::shared_ptr<grpc::ServerCredentials> credentials);

  // Throws std::runtime_error naming the address when the port cannot be
  // bound. No-op when already running.
  void start() { server_.start(); }
  // No-op when stopped.
  void stop() { server_.stop(); }

  bool running() const { return server_.running(); }
  size_t index() const { return index_; }
  uint16_t port() const { return server_.port(); }

 private:
  const size_t index_;
  PdService pd_service_;
  KeyspaceService keyspace_service_;
  RestartableServer server_;  // Last: stops before the services go.
};

}  // namespace tikvbench::mock
