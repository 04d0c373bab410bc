// RestartableServer is one of the mock's gRPC servers (a store, a PD
// member) on a port of its own, which stops and starts again as a killed
// and restarted TiKV or PD would: start() binds (the first time on the
// given port, 0 picking one; later on the same port) and serves the given
// services, gRPC's Health and, for everything else, UNIMPLEMENTED (see
// UnservedCalls); stop() shuts the server down at once, cancelling open
// calls and streams, and the port refuses connections.
//
// Thread safety: every method may be called from any thread but a gRPC
// handler of this server.
// Lifetime: the services, the credentials and `unserved` must outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>

#include "mock/unserved_calls.h"

namespace tikvbench::mock {

class RestartableServer {
 public:
  // `name` is how messages call it ("store 2", "PD").
  RestartableServer(std::string name, std::string host, uint16_t port,
                    std::shared_ptr<grpc::ServerCredentials> credentials, std::vector<grpc::Service*> services,
                    UnservedCalls& unserved);
  ~RestartableServer();
  RestartableServer(const RestartableServer&) = delete;
  RestartableServer& operator=(const RestartableServer&) = delete;

  // Throws std::runtime_error naming the address, and why when it can be
  // found, when the port cannot be bound. No-op when already running.
  void start();
  // Runs `first` (under the server's lock, before the shutdown) and stops.
  // No-op when stopped.
  void stop(const std::function<void()>& first = {});

  bool running() const;
  uint16_t port() const;
  std::string address() const;  // "host:port"

 private:
  const std::string name_;
  const std::string host_;
  const std::shared_ptr<grpc::ServerCredentials> credentials_;
  const std::vector<grpc::Service*> services_;
  UnservedCalls& unserved_;

  mutable std::mutex mu_;
  uint16_t port_;  // Guarded by mu_; fixed after the first start.
  // Answers unserved methods for the current server_; replaced at each
  // start (gRPC lets a generic service serve one server).
  std::unique_ptr<grpc::CallbackGenericService> unserved_service_;  // Guarded by mu_; outlives server_.
  std::unique_ptr<grpc::Server> server_;                             // Guarded by mu_; null when stopped.
};

// Server options shared by the mock's servers: large messages, keepalive
// pings allowed, gRPC's Health, as a TiKV or PD server accepts them.
void apply_mock_server_options(grpc::ServerBuilder& builder);

// The message for a mock server that could not listen on host:port, with
// the reason found by binding there again (util/listen_probe.h):
// "store 2: cannot listen on 127.0.0.1:20161: already in use". Without a
// reason to be found, the message ends after the address.
std::string cannot_listen(std::string_view who, const std::string& host, uint16_t port);

}  // namespace tikvbench::mock
