// StoreLiveness tracks the stores a send could not reach, as client-go's
// store liveness does. A failed send marks the store unreachable; from then
// a checker asks it grpc.health.v1.Health/Check every `interval` (each call
// bounded by `interval` too) until it answers SERVING, and the store is
// reachable again. Meanwhile the sender routes around it: requests go to the
// region's other peers, and a NotLeader that names the unreachable store as
// leader is not followed back there (the caller waits for the election).
//
// reachable() is the hot path's question: one relaxed atomic load while
// every store is reachable.
//
// A store marked unreachable, and found serving again, is recorded in the
// stats' event log ("store_down", "store_up", with its address).
//
// Threads: the checkers run on `executor`; every method may be called from
// any thread. Cancellation: the destructor cancels the checkers and waits
// for them (at most one health call each); REQUIRES: not called on
// `executor`'s thread, which must still run.
// Lifetime: `channels` and `stats` must outlive it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/cancellation_signal.hpp>

#include "rpc/channel_factory.h"
#include "tikv/client_stats.h"

namespace tikvbench::tikv {

class StoreLiveness {
 public:
  StoreLiveness(const rpc::ChannelFactory& channels, asio::any_io_executor executor, ClientStats& stats,
                std::chrono::nanoseconds interval = std::chrono::seconds(1));
  ~StoreLiveness();
  StoreLiveness(const StoreLiveness&) = delete;
  StoreLiveness& operator=(const StoreLiveness&) = delete;

  // Marks the store unreachable and starts checking it, unless it already
  // is unreachable.
  void mark_unreachable(uint64_t store_id, const std::string& address);
  bool reachable(uint64_t store_id) const;

  // Health checks made, and stores found serving again, so far.
  uint64_t checks() const { return checks_.load(std::memory_order_relaxed); }
  uint64_t recoveries() const { return recoveries_.load(std::memory_order_relaxed); }

 private:
  // True once the store answers SERVING; throws when cancelled.
  asio::awaitable<bool> check_until_serving(std::string address);
  void finished(uint64_t store_id, const std::string& address, bool serving);

  const rpc::ChannelFactory& channels_;
  const asio::any_io_executor executor_;
  ClientStats& stats_;
  const std::chrono::nanoseconds interval_;
  std::atomic<size_t> unreachable_count_{0};
  std::atomic<uint64_t> checks_{0};
  std::atomic<uint64_t> recoveries_{0};

  mutable std::mutex mu_;
  std::condition_variable checkers_done_;
  std::set<uint64_t> unreachable_;  // Guarded by mu_.
  size_t running_ = 0;              // Guarded by mu_: checkers not yet finished.
  bool stopping_ = false;           // Guarded by mu_.
  // The cancellation of each store's checker (the latest; an earlier one's
  // checker has finished before the store can be marked again), emitted on
  // the executor at destruction.
  std::map<uint64_t, std::unique_ptr<asio::cancellation_signal>> signals_;  // Guarded by mu_.
};

}  // namespace tikvbench::tikv
