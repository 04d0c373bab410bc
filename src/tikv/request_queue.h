// RequestQueue holds the requests one event loop has for one store until
// its flush, as client-go's batchConn collects a store's requests: messages
// of up to max_batch requests, the last one filling. The request that finds
// no flush posted is the one whose caller posts it; take() hands out
// everything queued and lets the next request post the next flush.
//
// Each queue sits on cache lines of its own: every request takes its loop's
// queue lock, and queues side by side would make the loops write to one
// line.
//
// Thread safety: add() and take() may be called from any thread (a mutex).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include <asio/any_io_executor.hpp>

#include "tikv/batch_stream.h"
#include "tikv/command.h"
#include "tikv/pending_call.h"

namespace tikvbench::tikv {

class alignas(64) RequestQueue {
 public:
  // Queues `call` with its request `command` (encoded now). Returns the
  // executor to post the flush to when none is posted yet (the call's,
  // taken while the call is surely alive); else null.
  std::optional<asio::any_io_executor> add(const Command& command, std::unique_ptr<PendingCall> call,
                                           size_t max_batch) {
    std::optional<asio::any_io_executor> post_to;
    std::lock_guard lock(mu_);
    // Only the request that posts the flush copies its (type-erased, costly
    // to copy) executor.
    if (!flush_posted_.exchange(true, std::memory_order_acq_rel)) post_to = call->executor();
    if (batches_.empty() || batches_.back().calls.size() >= max_batch) batches_.emplace_back();
    batches_.back().add(command, std::move(call));
    return post_to;
  }

  // Everything queued, in order; the next add() posts a flush again.
  std::vector<BatchStream::Batch> take() {
    flush_posted_.store(false, std::memory_order_release);
    std::vector<BatchStream::Batch> batches;
    std::lock_guard lock(mu_);
    batches.swap(batches_);
    return batches;
  }

 private:
  std::mutex mu_;
  std::vector<BatchStream::Batch> batches_;  // Guarded by mu_.
  std::atomic<bool> flush_posted_{false};
};

}  // namespace tikvbench::tikv
