#include "rpc/event_loops.h"

#include <cassert>

namespace tikvbench::rpc {

EventLoops::EventLoops(size_t threads) {
  assert(threads >= 1);
  for (size_t i = 0; i < threads; ++i) {
    auto loop = std::make_unique<Loop>();
    loop->work.emplace(loop->io.get_executor());
    loop->thread = std::thread([io = &loop->io] { io->run(); });
    loops_.push_back(std::move(loop));
  }
}

EventLoops::~EventLoops() {
  for (auto& loop : loops_) loop->work.reset();
  for (auto& loop : loops_) loop->thread.join();
}

}  // namespace tikvbench::rpc
