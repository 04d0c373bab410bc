#include "tikv/deadline_sweeper.h"

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

namespace tikvbench::tikv {

DeadlineSweeper::DeadlineSweeper(asio::any_io_executor executor, std::chrono::milliseconds period,
                                 std::function<void(Clock::time_point)> sweep)
    : finished_(done_.get_future().share()) {
  auto loop = [](asio::any_io_executor executor, std::chrono::milliseconds period,
                 std::function<void(Clock::time_point)> sweep, std::atomic<bool>& stopping) -> asio::awaitable<void> {
    asio::steady_timer timer(executor);
    while (!stopping.load()) {
      timer.expires_after(period);
      co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
      sweep(Clock::now());
    }
  };
  asio::co_spawn(executor, loop(executor, period, std::move(sweep), stopping_),
                 [this](std::exception_ptr) { done_.set_value(); });
}

void DeadlineSweeper::stop_and_wait() {
  stopping_.store(true);
  finished_.wait();
}

}  // namespace tikvbench::tikv
