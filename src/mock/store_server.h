// StoreServer runs one mock TiKV store: its StoreService behind its own
// grpc::Server on one loopback port. It can stop (the port then refuses
// connections, as a crashed TiKV's does) and start again on the same port;
// the data lives in the RegionTable and survives.
//
// Thread safety: start() and stop() are serialized by an internal mutex and
// block until the server is up or down. Call them from a thread that no
// gRPC callback or the delay io_context runs on.
// Lifetime: handler and faults must outlive the server; `delay_io` must run
// until the StoreServer is destroyed.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>

#include "mock/delay_queue.h"
#include "mock/restartable_server.h"
#include "mock/store_service.h"
#include "mock/unserved_calls.h"

namespace tikvbench::mock {

class StoreServer {
 public:
  // REQUIRES: port may be 0 (pick one on the first start). `unserved`
  // answers the methods the store does not serve; it must outlive this
  // server.
  StoreServer(uint64_t store_id, std::string host, uint16_t port, RawHandler& handler, FaultInjector& faults,
              asio::io_context& delay_io, std::shared_ptr<grpc::ServerCredentials> credentials,
              UnservedCalls& unserved);
  ~StoreServer();
  StoreServer(const StoreServer&) = delete;
  StoreServer& operator=(const StoreServer&) = delete;

  // Binds and serves. Throws std::runtime_error naming the address when the
  // port cannot be bound. No-op when already running.
  void start();
  // Stops serving: pending replies are released at once, open calls and
  // streams are cancelled, new connections are refused. No-op when stopped.
  void stop();

  bool running() const { return server_.running(); }
  uint64_t id() const { return id_; }
  uint16_t port() const { return server_.port(); }
  std::string address() const { return server_.address(); }  // "host:port"
  uint64_t requests_served() const { return service_.requests_served(); }
  std::chrono::steady_clock::time_point take_first_served() { return service_.take_first_served(); }

 private:
  const uint64_t id_;
  DelayQueue delays_;
  StoreService service_;
  RestartableServer server_;  // Last: stops before the service goes.
};

}  // namespace tikvbench::mock
