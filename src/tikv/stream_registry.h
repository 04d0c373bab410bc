// StreamRegistry keeps track of every BatchStream a transport opens: each
// until gRPC has released it (so the channels it runs on outlive it), the
// figures of the streams replaced (messages and requests they carried),
// and what servers did wrong on any of them.
//
// Thread safety: every method may be called from any thread.
// Lifetime: close_all_and_wait() before the channels of the streams go.
#pragma once

#include <atomic>
#include <cstdint>
#include <latch>
#include <memory>
#include <mutex>
#include <vector>

#include "tikv/batch_stream.h"

namespace tikvbench::tikv {

class StreamRegistry {
 public:
  // A stream just opened.
  void remember(const std::shared_ptr<BatchStream>& stream);
  // A stream being replaced: its figures stay in the totals.
  void retire(const BatchStream& stream);
  // Closes every stream gRPC has not released and waits until it has
  // released each. Blocks; not on a gRPC thread.
  void close_all_and_wait();

  uint64_t opened() const { return opened_count_.load(std::memory_order_relaxed); }
  uint64_t retired_messages() const { return retired_messages_.load(std::memory_order_relaxed); }
  uint64_t retired_requests() const { return retired_requests_.load(std::memory_order_relaxed); }
  // Where the streams count what servers did wrong; outlives them.
  StreamFaults* faults() { return &faults_; }
  const StreamFaults& faults() const { return faults_; }

 private:
  struct Opened {
    std::weak_ptr<BatchStream> stream;
    std::shared_ptr<std::latch> released;
  };
  std::mutex mu_;
  std::vector<Opened> opened_;  // Guarded by mu_.
  std::atomic<uint64_t> opened_count_{0};
  std::atomic<uint64_t> retired_messages_{0};
  std::atomic<uint64_t> retired_requests_{0};
  StreamFaults faults_;
};

}  // namespace tikvbench::tikv
