#include "mock/delay_queue.h"

#include <asio/post.hpp>

namespace tikvbench::mock {

DelayQueue::~DelayQueue() {
  {
    // Nothing pending: the io_context may already have stopped running.
    std::lock_guard lock(mu_);
    if (timers_.empty() && cancels_posted_ == 0) return;
  }
  cancel_all();
  std::unique_lock lock(mu_);
  drained_.wait(lock, [&] { return timers_.empty() && cancels_posted_ == 0; });
}

void DelayQueue::schedule(std::chrono::nanoseconds delay, std::function<void()> fn) {
  std::lock_guard lock(mu_);
  auto timer = timers_.emplace(timers_.end(), io_, delay);
  timer->async_wait([this, timer, fn = std::move(fn)](std::error_code) {
    fn();
    std::lock_guard lock(mu_);
    timers_.erase(timer);
    drained_.notify_all();
  });
}

void DelayQueue::cancel_all() {
  // Timers are touched only on the io_context's thread: Asio timers are not
  // safe to cancel concurrently with their own expiry.
  std::lock_guard lock(mu_);
  ++cancels_posted_;
  asio::post(io_, [this] {
    std::lock_guard lock(mu_);
    for (auto& timer : timers_) timer.cancel();
    --cancels_posted_;
    drained_.notify_all();
  });
}

}  // namespace tikvbench::mock
