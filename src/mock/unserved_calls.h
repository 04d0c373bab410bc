// UnservedCalls answers every call to a method the mock does not serve with
// UNIMPLEMENTED, as a gRPC server does, and counts them by method, so that a
// test or a user can see what a client asked for that the mock lacks
// (`unserved` on the mock's standard input).
//
// The message follows the server the mock stands in for: PD is a grpc-go
// server ("unknown service pdpb.X" / "unknown method M for service S");
// TiKV is a gRPC C-core server (an empty message).
//
// Streams that a client opens at start and may never write to (PD's
// resource-manager token stream) can be held open instead, as the real
// server holds them: the call ends with OK when the client closes it, and
// with UNIMPLEMENTED only if a request arrives.
//
// gRPC lets a generic service serve one server only: make_service() gives
// one per server build (register it with
// ServerBuilder::RegisterCallbackGenericService); it must outlive that
// server, and this object must outlive it.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <grpcpp/generic/async_generic_service.h>

namespace tikvbench::mock {

class UnservedCalls {
 public:
  enum class Style { kGrpcGo, kGrpcCore };
  // `known_services` (e.g. {"pdpb.PD"}) get "unknown method" messages in
  // the grpc-go style; other services "unknown service".
  // `held_streams` are method paths to hold open until a request comes.
  UnservedCalls(Style style, std::vector<std::string> known_services, std::vector<std::string> held_streams = {});

  // Method path ("/pdpb.PD/Bootstrap") -> calls answered UNIMPLEMENTED.
  std::map<std::string, uint64_t> counts() const;

  // A generic service for one server, recording into this object.
  std::unique_ptr<grpc::CallbackGenericService> make_service();

 private:
  class Service;
  // Counts the call and returns the status to end it with.
  grpc::Status refuse(const std::string& method);
  std::string message_for(const std::string& method) const;

  const Style style_;
  const std::vector<std::string> known_services_;
  const std::vector<std::string> held_streams_;
  mutable std::mutex mu_;
  std::map<std::string, uint64_t> counts_;  // Guarded by mu_.
};

}  // namespace tikvbench::mock
