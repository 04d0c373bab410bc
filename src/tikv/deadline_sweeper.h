// DeadlineSweeper calls `sweep(now)` every `period` on one executor, for a
// transport to fail the requests whose deadline passed (BatchStream::sweep),
// until it is stopped.
//
// Thread safety: stop_and_wait() from any thread but the executor's.
// Lifetime: the executor's loop must run until stop_and_wait() returns;
// the destructor stops it too.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <future>

#include <asio/any_io_executor.hpp>

namespace tikvbench::tikv {

class DeadlineSweeper {
 public:
  using Clock = std::chrono::steady_clock;
  DeadlineSweeper(asio::any_io_executor executor, std::chrono::milliseconds period,
                  std::function<void(Clock::time_point)> sweep);
  ~DeadlineSweeper() { stop_and_wait(); }
  DeadlineSweeper(const DeadlineSweeper&) = delete;
  DeadlineSweeper& operator=(const DeadlineSweeper&) = delete;

  // Ends the sweeping: returns once the last sweep has run. Blocks for at
  // most a period.
  void stop_and_wait();

 private:
  std::atomic<bool> stopping_{false};
  std::promise<void> done_;
  std::shared_future<void> finished_;
};

}  // namespace tikvbench::tikv
