#include "mock/restartable_server.h"

#include <chrono>
#include <stdexcept>

#include <fmt/format.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server_builder.h>

#include "util/host_port.h"
#include "util/listen_probe.h"

namespace tikvbench::mock {

void apply_mock_server_options(grpc::ServerBuilder& builder) {
  // grpc.health.v1.Health, as TiKV and PD serve it: Check("") answers
  // SERVING while the server runs. client-go checks a store this way after
  // a failed send and routes around it until it answers. (gRPC's default
  // service; the switch is process-wide and read when a server is built.)
  grpc::EnableDefaultHealthCheckService(true);
  builder.SetMaxReceiveMessageSize(256 * 1024 * 1024);
  builder.SetMaxSendMessageSize(256 * 1024 * 1024);
  // Clients such as client-go ping idle connections every few seconds.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
  // gRPC binds with SO_REUSEPORT by default: a second mock on the same port
  // would then start too, and the kernel would deal each connection to one
  // of the two. A port in use is an error, as it is for PD and TiKV.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
}

std::string cannot_listen(std::string_view who, const std::string& host, uint16_t port) {
  const std::string address = HostPort{host, port}.to_string();
  const std::string reason = listen_failure(host, port);
  if (reason.empty()) return fmt::format("{}: cannot listen on {}", who, address);
  return fmt::format("{}: cannot listen on {}: {}", who, address, reason);
}

RestartableServer::RestartableServer(std::string name, std::string host, uint16_t port,
                                     std::shared_ptr<grpc::ServerCredentials> credentials,
                                     std::vector<grpc::Service*> services, UnservedCalls& unserved)
    : name_(std::move(name)),
      host_(std::move(host)),
      credentials_(std::move(credentials)),
      services_(std::move(services)),
      unserved_(unserved),
      port_(port) {}

RestartableServer::~RestartableServer() { stop(); }

void RestartableServer::start() {
  std::lock_guard lock(mu_);
  if (server_) return;
  int selected_port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(HostPort{host_, port_}.to_string(), credentials_, &selected_port);
  for (auto* service : services_) builder.RegisterService(service);
  unserved_service_ = unserved_.make_service();
  builder.RegisterCallbackGenericService(unserved_service_.get());
  apply_mock_server_options(builder);
  server_ = builder.BuildAndStart();
  if (!server_ || selected_port == 0) {
    server_.reset();
    throw std::runtime_error(cannot_listen(name_, host_, port_));
  }
  port_ = static_cast<uint16_t>(selected_port);
}

void RestartableServer::stop(const std::function<void()>& first) {
  std::lock_guard lock(mu_);
  if (!server_) return;
  if (first) first();
  // A deadline of now cancels open calls and streams at once, like a crash.
  server_->Shutdown(std::chrono::system_clock::now());
  server_->Wait();
  server_.reset();
}

bool RestartableServer::running() const {
  std::lock_guard lock(mu_);
  return server_ != nullptr;
}

uint16_t RestartableServer::port() const {
  std::lock_guard lock(mu_);
  return port_;
}

std::string RestartableServer::address() const { return HostPort{host_, port()}.to_string(); }

}  // namespace tikvbench::mock
