// StopSignal turns SIGINT and SIGTERM into a flag the runner polls: the
// first signal sets stopped() (the run stops starting operations, waits for
// those in flight and writes its reports); a second one exits the process at
// once with the signal's exit code.
//
// Construct it before any other thread starts: it blocks both signals in the
// calling thread, which every thread started later inherits, and waits for
// them in a thread of its own (sigwait), so no handler runs on a loop.
//
// Thread safety: stopped() and exit_code() from any thread.
// Lifetime: one per process at a time; the destructor ends the thread.
#pragma once

#include <atomic>
#include <thread>

namespace tikvbench::cli {

class StopSignal {
 public:
  StopSignal();
  ~StopSignal();
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  const std::atomic<bool>& flag() const { return stopped_; }
  // Stops the run as the first signal would, for a reason of the program's
  // own (a threshold asked to abort); exit_code() stays 0.
  void request_stop() { stopped_.store(true); }
  bool stopped() const { return stopped_.load(); }
  // 130 after SIGINT, 143 after SIGTERM; 0 when no signal came.
  int exit_code() const { return exit_code_.load(); }

 private:
  std::atomic<bool> stopped_{false};
  std::atomic<int> exit_code_{0};
  std::thread waiter_;
};

}  // namespace tikvbench::cli
