#include "cli/stop_signal.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>

#include "cli/exit_codes.h"

namespace tikvbench::cli {
namespace {

// SIGUSR2 wakes the waiter for the destructor; the run never uses it.
sigset_t watched() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);
  return set;
}

}  // namespace

StopSignal::StopSignal() {
  const sigset_t set = watched();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  waiter_ = std::thread([this, set] {
    for (;;) {
      int signal = 0;
      if (sigwait(&set, &signal) != 0 || signal == SIGUSR2) return;
      const int code = signal == SIGINT ? kExitInterrupted : kExitTerminated;
      if (stopped_.exchange(true)) {
        std::fputs("tikv-bench: second signal: exiting now\n", stderr);
        _exit(code);
      }
      exit_code_.store(code);
      std::fputs("tikv-bench: stopping: finishing the operations in flight (signal again to exit now)\n", stderr);
    }
  });
}

StopSignal::~StopSignal() {
  pthread_kill(waiter_.native_handle(), SIGUSR2);
  waiter_.join();
}

}  // namespace tikvbench::cli
