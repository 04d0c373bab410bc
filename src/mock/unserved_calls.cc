#include "mock/unserved_calls.h"

#include <algorithm>

#include <fmt/format.h>

namespace tikvbench::mock {
namespace {

// Ends the call at once with the given status.
class RefusingReactor final : public grpc::ServerGenericBidiReactor {
 public:
  explicit RefusingReactor(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

// Holds the call open: ends it with OK when the client closes its side, or
// with `refusal` if a request arrives.
class HoldingReactor final : public grpc::ServerGenericBidiReactor {
 public:
  explicit HoldingReactor(grpc::Status refusal) : refusal_(std::move(refusal)) { StartRead(&request_); }
  void OnReadDone(bool ok) override { Finish(ok ? refusal_ : grpc::Status::OK); }
  void OnDone() override { delete this; }

 private:
  const grpc::Status refusal_;
  grpc::ByteBuffer request_;
};

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

class UnservedCalls::Service final : public grpc::CallbackGenericService {
 public:
  explicit Service(UnservedCalls& calls) : calls_(calls) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    auto refusal = calls_.refuse(ctx->method());
    if (contains(calls_.held_streams_, ctx->method())) return new HoldingReactor(std::move(refusal));
    return new RefusingReactor(std::move(refusal));
  }

 private:
  UnservedCalls& calls_;
};

std::unique_ptr<grpc::CallbackGenericService> UnservedCalls::make_service() {
  return std::make_unique<Service>(*this);
}

UnservedCalls::UnservedCalls(Style style, std::vector<std::string> known_services,
                             std::vector<std::string> held_streams)
    : style_(style), known_services_(std::move(known_services)), held_streams_(std::move(held_streams)) {}

std::map<std::string, uint64_t> UnservedCalls::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

std::string UnservedCalls::message_for(const std::string& method) const {
  if (style_ == Style::kGrpcCore) return {};
  // "/package.Service/Method"
  const auto slash = method.find('/', 1);
  const std::string service = method.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
  const std::string name = slash == std::string::npos ? std::string() : method.substr(slash + 1);
  if (contains(known_services_, service)) {
    return fmt::format("unknown method {} for service {}", name, service);
  }
  return fmt::format("unknown service {}", service);
}

grpc::Status UnservedCalls::refuse(const std::string& method) {
  {
    std::lock_guard lock(mu_);
    ++counts_[method];
  }
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, message_for(method));
}

}  // namespace tikvbench::mock
