// ChaosRunner drives a MockCluster's chaos: one coroutine per action kind on
// the cluster's control io_context, each waiting its period, then splitting a
// random region at its median key, moving a random region's leader, or
// stopping a random running store for the downtime and starting it again.
// (Busy replies are the FaultInjector's and need no loop.)
//
// Lifetime: the runner owns its coroutines. The destructor cancels them and
// waits until all have ended, so it must not run on the control thread; the
// cluster must outlive the runner.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/io_context.hpp>

#include "mock/chaos_spec.h"

namespace tikvbench::mock {

class MockCluster;

// What chaos has done so far.
struct ChaosStats {
  uint64_t splits = 0;
  uint64_t leader_transfers = 0;
  uint64_t store_restarts = 0;  // counted when the store is up again
  uint64_t pd_leader_moves = 0;  // counted when the election starts
};

class ChaosRunner {
 public:
  ChaosRunner(MockCluster& cluster, const ChaosSpec& spec, asio::io_context& control_io);
  ~ChaosRunner();
  ChaosRunner(const ChaosRunner&) = delete;
  ChaosRunner& operator=(const ChaosRunner&) = delete;

  ChaosStats stats() const;
  // Blocks until `done(stats)` holds or `timeout` passes; returns whether it
  // holds. For tests and the bench, which wait on chaos events.
  bool wait_until(const std::function<bool(const ChaosStats&)>& done, std::chrono::nanoseconds timeout) const;

 private:
  // Runs `action` every `period` until cancelled. Suspends; cancellable.
  asio::awaitable<void> every(std::chrono::nanoseconds period, std::function<asio::awaitable<void>()> action);
  void spawn(std::chrono::nanoseconds period, std::function<asio::awaitable<void>()> action);

  asio::awaitable<void> split_one();
  asio::awaitable<void> transfer_one();
  asio::awaitable<void> restart_one();
  asio::awaitable<void> move_pd_leader();

  MockCluster& cluster_;
  const ChaosSpec spec_;
  asio::io_context& io_;
  std::vector<std::unique_ptr<asio::cancellation_signal>> signals_;  // Touched on io_ only after start.

  void record(uint64_t ChaosStats::*counter);

  mutable std::mutex mu_;
  mutable std::condition_variable changed_;  // running_ or stats_ changed
  int running_ = 0;                          // Guarded by mu_.
  ChaosStats stats_;                         // Guarded by mu_.
};

}  // namespace tikvbench::mock
