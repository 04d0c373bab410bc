// EventLoops is the client's runtime: N Asio io_contexts, one thread each.
// Work spreads across them by picking a loop per worker or connection; gRPC
// completions are posted back to the loop whose coroutine awaits them.
//
// Stopping is by the owner: it cancels and awaits its coroutines first; the
// destructor then lets each loop run out of work and joins the threads.
//
// Thread safety: executor() and next() may be called from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>

namespace tikvbench::rpc {

class EventLoops {
 public:
  // REQUIRES: threads >= 1.
  explicit EventLoops(size_t threads);
  // Releases the loops' work guards and joins the threads once the loops
  // have no more work. REQUIRES: not called from a loop thread.
  ~EventLoops();
  EventLoops(const EventLoops&) = delete;
  EventLoops& operator=(const EventLoops&) = delete;

  size_t size() const { return loops_.size(); }
  asio::io_context& context(size_t index) { return loops_[index]->io; }
  asio::any_io_executor executor(size_t index) { return loops_[index]->io.get_executor(); }
  // The index of the loop whose io_context is `context` (the address
  // asio::query(executor, asio::execution::context) gives); size() for none.
  size_t index_of(const void* context) const {
    for (size_t i = 0; i < loops_.size(); ++i) {
      if (static_cast<const void*>(&loops_[i]->io) == context) return i;
    }
    return loops_.size();
  }
  // Whether the calling thread is running loop `index`'s io_context.
  bool runs_here(size_t index) const { return loops_[index]->io.get_executor().running_in_this_thread(); }
  // Round-robin over the loops.
  asio::any_io_executor next() { return executor(next_.fetch_add(1, std::memory_order_relaxed) % size()); }

 private:
  struct Loop {
    asio::io_context io{1};
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::thread thread;
  };
  std::vector<std::unique_ptr<Loop>> loops_;  // Constant after construction.
  std::atomic<size_t> next_{0};
};

}  // namespace tikvbench::rpc
