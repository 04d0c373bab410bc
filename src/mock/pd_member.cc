#include "mock/pd_member.h"

#include <chrono>
#include <stdexcept>

#include <fmt/format.h>
#include <grpcpp/server_builder.h>

#include "mock/store_server.h"
#include "util/host_port.h"

namespace tikvbench::mock {

PdMember::PdMember(size_t index, std::string name, std::string host, uint16_t port, PdService::Dependencies pd,
                   const KeyspaceDirectory& keyspaces, UnservedCalls& unserved,
                   std::shared_ptr<grpc::ServerCredentials> credentials)
    : index_(index),
      name_(std::move(name)),
      host_(std::move(host)),
      credentials_(std::move(credentials)),
      pd_service_(pd, index),
      keyspace_service_(pd.cluster_id, keyspaces, pd.membership, index),
      unserved_(unserved),
      port_(port) {}

PdMember::~PdMember() { stop(); }

void PdMember::start() {
  std::lock_guard lock(mu_);
  if (server_) return;
  int selected = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(HostPort{host_, port_}.to_string(), credentials_, &selected);
  builder.RegisterService(&pd_service_);
  builder.RegisterService(&keyspace_service_);
  unserved_service_ = unserved_.make_service();
  builder.RegisterCallbackGenericService(unserved_service_.get());
  apply_mock_server_options(builder);
  server_ = builder.BuildAndStart();
  if (!server_ || selected == 0) {
    server_.reset();
    throw std::runtime_error(cannot_listen(name_, host_, port_));
  }
  port_ = static_cast<uint16_t>(selected);
}

void PdMember::stop() {
  std::lock_guard lock(mu_);
  if (!server_) return;
  server_->Shutdown(std::chrono::system_clock::now());
  server_->Wait();
  server_.reset();
}

bool PdMember::running() const {
  std::lock_guard lock(mu_);
  return server_ != nullptr;
}

uint16_t PdMember::port() const {
  std::lock_guard lock(mu_);
  return port_;
}

}  // namespace tikvbench::mock
