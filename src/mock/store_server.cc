#include "mock/store_server.h"

#include <fmt/format.h>

namespace tikvbench::mock {

StoreServer::StoreServer(uint64_t store_id, std::string host, uint16_t port, RawHandler& handler,
                         FaultInjector& faults, asio::io_context& delay_io,
                         std::shared_ptr<grpc::ServerCredentials> credentials, UnservedCalls& unserved)
    : id_(store_id),
      delays_(delay_io),
      service_(store_id, handler, faults, delays_),
      server_(fmt::format("store {}", store_id), std::move(host), port, std::move(credentials), {&service_},
              unserved) {}

StoreServer::~StoreServer() { stop(); }

void StoreServer::start() { server_.start(); }

void StoreServer::stop() {
  // Replies held back (injected latency) go at once, as a crash drops them.
  server_.stop([this] { delays_.cancel_all(); });
}

}  // namespace tikvbench::mock
