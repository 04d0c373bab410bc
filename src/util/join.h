// join_all runs awaitables side by side on the current executor and resumes
// when every one has finished. Tasks report results through state their
// caller owns (the caller's frame outlives them: join_all awaits them all).
// If a task throws, the first exception is rethrown after all have finished.
// A cancellation of the awaiting coroutine is passed on to every task (as
// terminal), and join_all still waits for them all.
//
// REQUIRES: the current executor runs on one thread (an EventLoops loop), as
// the bookkeeping is not synchronized.
#pragma once

#include <exception>
#include <memory>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace tikvbench {

inline asio::awaitable<void> join_all(std::vector<asio::awaitable<void>> tasks) {
  if (tasks.empty()) co_return;
  if (tasks.size() == 1) {
    co_await std::move(tasks[0]);
    co_return;
  }
  auto executor = co_await asio::this_coro::executor;
  struct State {
    State(asio::any_io_executor ex, size_t n) : done(std::move(ex)), left(n), signals(new asio::cancellation_signal[n]) {}
    asio::steady_timer done;  // cancelled when the last task finishes
    size_t left;
    std::exception_ptr error;
    std::unique_ptr<asio::cancellation_signal[]> signals;  // one per task
  };
  auto state = std::make_shared<State>(executor, tasks.size());
  state->done.expires_at(asio::steady_timer::time_point::max());
  for (size_t i = 0; i < tasks.size(); ++i) {
    asio::co_spawn(executor, std::move(tasks[i]),
                   asio::bind_cancellation_slot(state->signals[i].slot(), [state](std::exception_ptr error) {
                     if (error && !state->error) state->error = error;
                     if (--state->left == 0) state->done.cancel();
                   }));
  }
  bool passed_on = false;
  while (state->left > 0) {
    co_await state->done.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    const auto cancellation = co_await asio::this_coro::cancellation_state;
    if (state->left > 0 && !passed_on && cancellation.cancelled() != asio::cancellation_type::none) {
      passed_on = true;
      for (size_t i = 0; i < tasks.size(); ++i) state->signals[i].emit(asio::cancellation_type::terminal);
    }
  }
  if (state->error) std::rethrow_exception(state->error);
}

}  // namespace tikvbench
