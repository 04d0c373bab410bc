#include "tikv/store_connection.h"

#include <algorithm>

#include "rpc/backoff.h"

namespace tikvbench::tikv {

std::chrono::milliseconds StoreConnection::reconnect_delay(int failures) {
  const auto& config = rpc::backoff_config(rpc::BackoffKind::kTikvRpc);
  const int64_t base = config.base_ms;
  return std::chrono::milliseconds(std::min<int64_t>(config.cap_ms, base << std::min(failures, 20)));
}

std::shared_ptr<BatchStream> StoreConnection::stream() {
  std::lock_guard lock(mu_);
  if (stream_ && !stream_->broken()) {
    failures_ = 0;
    return stream_;
  }
  const auto now = std::chrono::steady_clock::now();
  if (stream_) {
    // Broken: wait out the reconnect backoff from when we noticed.
    if (retry_after_ == std::chrono::steady_clock::time_point()) retry_after_ = now + reconnect_delay(failures_++);
    if (now < retry_after_) return nullptr;
    registry_.retire(*stream_);
    stream_.reset();
  }
  if (!stub_) {
    channel_ = channels_.make(address_, index_ + 1);
    stub_ = std::make_unique<grpc::GenericStub>(channel_);
  }
  retry_after_ = std::chrono::steady_clock::time_point();
  stream_ = BatchStream::open(*stub_, max_batch_, registry_.faults());
  registry_.remember(stream_);
  return stream_;
}

std::shared_ptr<BatchStream> StoreConnection::current() const {
  std::lock_guard lock(mu_);
  return stream_;
}

void StoreConnection::retire() {
  std::lock_guard lock(mu_);
  if (stream_) registry_.retire(*stream_);
}

}  // namespace tikvbench::tikv
