// Runs a coroutine to completion on a private io_context and returns its
// result (rethrowing what it threw). For tests of coroutines that need no
// other thread.
#pragma once

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>

namespace tikvbench::test {

template <class T>
T run_coroutine(asio::awaitable<T> task) {
  asio::io_context io;
  auto result = asio::co_spawn(io, std::move(task), asio::use_future);
  io.run();
  return result.get();
}

}  // namespace tikvbench::test
