// LoopTaskGroup starts a run's coroutines on the event loops and keeps count
// of those still running, so that the runner can wait for them all (or for
// an interval to pass), cancel them, and learn whether one of them threw.
//
// Cancellation: each task is spawned with a cancellation slot of its own;
// cancel_all() emits a terminal cancellation to every task still running,
// on the task's loop. A task sees it as kCancelled from the operation it
// awaits (backoff sleeps, PD calls, pending requests: see tikv/raw_client.h)
// and as the end of its timer waits; it must then end. Tasks turn off
// asio's throw on a cancelled co_await (this_coro::throw_if_cancelled).
//
// Threads: spawn() is called on loop `slot`'s thread; spawn_made_on_loop()
// and cancel_all() from any thread; the tasks run on their loop;
// wait_until_idle() blocks the calling thread (never a loop thread).
// Lifetime: the loops must outlive the group, and the group must outlive its
// tasks (wait for them before destroying it).
#pragma once

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/co_spawn.hpp>
#include <asio/post.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <list>
#include <mutex>
#include <utility>
#include <vector>

#include "rpc/event_loops.h"

namespace tikvbench::workload {

class LoopTaskGroup {
 public:
  explicit LoopTaskGroup(rpc::EventLoops& loops) : loops_(loops), signals_(loops.size()) {}

  // Starts `task` on loop `slot`. For a task made on that loop, on it.
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

  // Emits a terminal cancellation to every task running now, each on its
  // loop. Returns at once; wait_until_idle() waits for the tasks to end.
  void cancel_all() {
    for (size_t slot = 0; slot < signals_.size(); ++slot) {
      tasks_.fetch_add(1, std::memory_order_relaxed);  // the post holds the group
      asio::post(loops_.executor(slot), [this, slot] {
        for (auto& signal : signals_[slot]) signal.emit(asio::cancellation_type::terminal);
        task_ended();
      });
    }
  }

  // Rethrows the first exception a task ended with (a bug), if any.
  void rethrow_failure() {
    std::lock_guard lock(mu_);
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  // On loop `slot`.
  template <class Task>
  void start_counted(size_t slot, Task task) {
    auto& signals = signals_[slot];
    const auto signal = signals.emplace(signals.end());
    asio::co_spawn(loops_.executor(slot), std::move(task),
                   asio::bind_cancellation_slot(signal->slot(), [this, slot, signal](std::exception_ptr error) {
                     if (error) {
                       std::lock_guard lock(mu_);
                       if (!failure_) failure_ = error;
                     }
                     // The signal goes after its task's completion has (a
                     // post on the same loop); then the task counts as ended.
                     asio::post(loops_.executor(slot), [this, slot, signal] {
                       signals_[slot].erase(signal);
                       task_ended();
                     });
                   }));
  }

  void task_ended() {
    if (tasks_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard lock(mu_);
      cv_.notify_all();
    }
  }

  rpc::EventLoops& loops_;
  // Per loop, the signals of its running tasks; touched on that loop only.
  std::vector<std::list<asio::cancellation_signal>> signals_;
  alignas(64) std::atomic<int64_t> tasks_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::exception_ptr failure_;  // Guarded by mu_.
};

}  // namespace tikvbench::workload
