#include "tikv/stream_registry.h"

namespace tikvbench::tikv {

void StreamRegistry::remember(const std::shared_ptr<BatchStream>& stream) {
  opened_count_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  // Drop the streams gRPC has released, now and then, so reconnects do not pile up.
  if (opened_.size() >= 64 && (opened_.size() & (opened_.size() - 1)) == 0) {
    std::erase_if(opened_, [](const Opened& opened) { return opened.released->try_wait(); });
  }
  opened_.push_back({stream, stream->released()});
}

void StreamRegistry::retire(const BatchStream& stream) {
  retired_messages_.fetch_add(stream.messages_sent(), std::memory_order_relaxed);
  retired_requests_.fetch_add(stream.requests_sent(), std::memory_order_relaxed);
}

void StreamRegistry::close_all_and_wait() {
  std::lock_guard lock(mu_);
  for (auto& opened : opened_) {
    if (auto stream = opened.stream.lock()) stream->close();
  }
  for (auto& opened : opened_) opened.released->wait();
}

}  // namespace tikvbench::tikv
