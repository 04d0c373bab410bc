// LoopTaskGroup starts a run's coroutines on the event loops and keeps count
// of those still running, so that the runner can wait for them all (or for
// an interval to pass) and learn whether one of them threw.
//
// Threads: spawn() and spawn_made_on_loop() may be called from any thread;
// the tasks run on their loop; wait_until_idle() blocks the calling thread
// (never a loop thread). Lifetime: the loops must outlive the group, and
// the group must outlive its tasks (wait for them before destroying it).
#pragma once

#include <asio/co_spawn.hpp>
#include <asio/post.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <utility>

#include "rpc/event_loops.h"

namespace tikvbench::workload {

class LoopTaskGroup {
 public:
  explicit LoopTaskGroup(rpc::EventLoops& loops) : loops_(loops) {}

  // Starts `task` on loop `slot`. For a task made on that loop.
  template <class Task>
  void spawn(size_t slot, Task task) {
    tasks_.fetch_add(1, std::memory_order_relaxed);
    start_counted(slot, std::move(task));
  }

  // Makes a task on loop `slot` with make_task() and starts it there, so
  // that its coroutine frame comes from that loop's allocator. (Frames made
  // on one thread for several loops sit side by side, and their loops then
  // write to shared cache lines.)
  template <class MakeTask>
  void spawn_made_on_loop(size_t slot, MakeTask make_task) {
    tasks_.fetch_add(1, std::memory_order_relaxed);
    asio::post(loops_.executor(slot),
               [this, slot, make_task = std::move(make_task)]() mutable { start_counted(slot, make_task()); });
  }

  // Tasks started and not yet finished.
  int64_t running() const { return tasks_.load(); }

  // Waits until no task runs or `until` passes. Blocks.
  void wait_until_idle(std::chrono::steady_clock::time_point until) {
    std::unique_lock lock(mu_);
    cv_.wait_until(lock, until, [&] { return tasks_.load() == 0; });
  }

  // Rethrows the first exception a task ended with (a bug), if any.
  void rethrow_failure() {
    std::lock_guard lock(mu_);
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  template <class Task>
  void start_counted(size_t slot, Task task) {
    asio::co_spawn(loops_.executor(slot), std::move(task), [this](std::exception_ptr error) {
      if (error) {
        std::lock_guard lock(mu_);
        if (!failure_) failure_ = error;
      }
      if (tasks_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard lock(mu_);
        cv_.notify_all();
      }
    });
  }

  rpc::EventLoops& loops_;
  alignas(64) std::atomic<int64_t> tasks_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::exception_ptr failure_;  // Guarded by mu_.
};

}  // namespace tikvbench::workload
