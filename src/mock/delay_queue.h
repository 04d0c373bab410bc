// DelayQueue holds replies back: it runs a function after a delay on an Asio
// io_context, or at once when the queue is cancelled, so a store that stops
// still completes every call it accepted.
//
// Thread safety: schedule() and cancel_all() may be called from any thread.
// Lifetime: the io_context must run until the queue is destroyed; the
// destructor cancels what is pending and waits for those functions to run,
// so it must not be called on the io_context's own thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <list>
#include <mutex>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

namespace tikvbench::mock {

class DelayQueue {
 public:
  explicit DelayQueue(asio::io_context& io) : io_(io) {}
  ~DelayQueue();
  DelayQueue(const DelayQueue&) = delete;
  DelayQueue& operator=(const DelayQueue&) = delete;

  // Runs `fn` on the io_context after `delay`, or sooner if cancel_all() is
  // called first. `fn` always runs exactly once.
  void schedule(std::chrono::nanoseconds delay, std::function<void()> fn);

  // Makes every pending function run now.
  void cancel_all();

 private:
  asio::io_context& io_;
  std::mutex mu_;
  std::condition_variable drained_;
  std::list<asio::steady_timer> timers_;  // Guarded by mu_.
  int cancels_posted_ = 0;                // Guarded by mu_.
};

}  // namespace tikvbench::mock
