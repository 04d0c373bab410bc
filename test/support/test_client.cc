#include "support/test_client.h"

#include <stdexcept>

#include <fmt/format.h>

namespace tikvbench::test {

TestClient::TestClient(const std::string& pd_address, uint64_t cluster_id)
    : cluster_id_(cluster_id),
      pd_(pdpb::PD::NewStub(grpc::CreateChannel(pd_address, grpc::InsecureChannelCredentials()))) {}

pdpb::RequestHeader TestClient::header() const {
  pdpb::RequestHeader header;
  header.set_cluster_id(cluster_id_);
  return header;
}

pdpb::GetRegionResponse TestClient::get_region(const std::string& key) {
  pdpb::GetRegionRequest request;
  *request.mutable_header() = header();
  request.set_region_key(key);
  auto [status, response] = call<pdpb::GetRegionResponse>(
      [&](auto* ctx, auto* resp, auto done) { pd_->async()->GetRegion(ctx, &request, resp, done); });
  if (!status.ok()) throw std::runtime_error("GetRegion: " + status.error_message());
  return response;
}

tikvpb::Tikv::Stub& TestClient::store(uint64_t store_id) {
  auto& stub = stores_[store_id];
  if (!stub) {
    pdpb::GetStoreRequest request;
    *request.mutable_header() = header();
    request.set_store_id(store_id);
    auto [status, response] = call<pdpb::GetStoreResponse>(
        [&](auto* ctx, auto* resp, auto done) { pd_->async()->GetStore(ctx, &request, resp, done); });
    if (!status.ok() || response.header().has_error()) {
      throw std::runtime_error(fmt::format("GetStore {}: {}", store_id, status.error_message()));
    }
    stub = tikvpb::Tikv::NewStub(
        grpc::CreateChannel(response.store().address(), grpc::InsecureChannelCredentials()));
  }
  return *stub;
}

kvrpcpb::Context TestClient::context_for(const std::string& key) {
  const auto region = get_region(key);
  kvrpcpb::Context context;
  context.set_region_id(region.region().id());
  *context.mutable_region_epoch() = region.region().region_epoch();
  *context.mutable_peer() = region.leader();
  context.set_cluster_id(cluster_id_);
  return context;
}

uint64_t TestClient::leader_store_for(const std::string& key) { return get_region(key).leader().store_id(); }

kvrpcpb::RawPutResponse TestClient::put(const std::string& key, const std::string& value) {
  kvrpcpb::RawPutRequest request;
  *request.mutable_context() = context_for(key);
  request.set_key(key);
  request.set_value(value);
  auto [status, response] = call<kvrpcpb::RawPutResponse>([&](auto* ctx, auto* resp, auto done) {
    store(request.context().peer().store_id()).async()->RawPut(ctx, &request, resp, done);
  });
  if (!status.ok()) throw std::runtime_error("RawPut: " + status.error_message());
  return response;
}

kvrpcpb::RawGetResponse TestClient::get(const std::string& key) {
  kvrpcpb::RawGetRequest request;
  *request.mutable_context() = context_for(key);
  request.set_key(key);
  auto [status, response] = call<kvrpcpb::RawGetResponse>([&](auto* ctx, auto* resp, auto done) {
    store(request.context().peer().store_id()).async()->RawGet(ctx, &request, resp, done);
  });
  if (!status.ok()) throw std::runtime_error("RawGet: " + status.error_message());
  return response;
}

BatchStream::BatchStream(tikvpb::Tikv::Stub& stub) {
  ctx_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  stub.async()->BatchCommands(&ctx_, this);
  AddHold();  // Writes start from the test thread, outside reactions.
  StartRead(&response_);
  StartCall();
}

BatchStream::~BatchStream() {
  ctx_.TryCancel();
  wait_done();
}

bool BatchStream::send(const tikvpb::BatchCommandsRequest& request) {
  std::unique_lock lock(mu_);
  if (writes_closed_ || status_) return false;
  request_ = request;
  writing_ = true;
  lock.unlock();
  StartWrite(&request_);
  lock.lock();
  changed_.wait(lock, [&] { return !writing_; });
  return write_ok_;
}

std::optional<tikvpb::BatchCommandsResponse> BatchStream::next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  changed_.wait_for(lock, timeout, [&] { return !received_.empty() || status_.has_value(); });
  if (received_.empty()) return std::nullopt;
  auto response = std::move(received_.front());
  received_.pop_front();
  return response;
}

grpc::Status BatchStream::finish() {
  bool close = false;
  {
    std::lock_guard lock(mu_);
    close = !writes_closed_;
    writes_closed_ = true;
  }
  if (close) StartWritesDone();
  return wait_done();
}

grpc::Status BatchStream::wait_done() {
  bool release = false;
  {
    std::lock_guard lock(mu_);
    release = !writes_closed_;
    writes_closed_ = true;
  }
  if (release) RemoveHold();
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return status_.has_value(); });
  return *status_;
}

void BatchStream::OnReadDone(bool ok) {
  if (!ok) return;
  {
    std::lock_guard lock(mu_);
    received_.push_back(response_);
  }
  changed_.notify_all();
  StartRead(&response_);
}

void BatchStream::OnWriteDone(bool ok) {
  {
    std::lock_guard lock(mu_);
    writing_ = false;
    write_ok_ = ok;
  }
  changed_.notify_all();
}

void BatchStream::OnWritesDoneDone(bool) { RemoveHold(); }

void BatchStream::OnDone(const grpc::Status& status) {
  // Notified under the lock: the waiter may destroy the stream (and the
  // condition variable) as soon as it sees the status.
  std::lock_guard lock(mu_);
  status_ = status;
  changed_.notify_all();
}

}  // namespace tikvbench::test
