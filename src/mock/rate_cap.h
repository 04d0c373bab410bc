// RateCap limits how many raw KV requests the whole mock cluster serves per
// second, the way an overloaded TiKV behaves: a request over the cap is not
// refused but queued, and its reply waits its turn, so latency climbs
// without bound while the offered rate stays above the cap. Each raw
// command counts once, a unary call or one command inside a BatchCommands
// message alike (a RawBatchGet is one command).
//
// The queue is a virtual one (GCRA, the token bucket in time form): the
// cap keeps the time at which the next request's turn comes; a request
// takes the turn max(that time, now) and pushes it on by 1/cap. Its reply
// waits until its turn less the burst allowance, kBurst of time (at least
// one request's turn): short bunches of arrivals below the cap pass
// without delay, and over any span replies go out at no more than the cap
// plus that burst. admit() only computes the wait; the caller holds the
// reply back (DelayQueue), never blocking a thread.
//
// Thread safety: every method may be called from any thread; admit() is
// lock-free.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace tikvbench::mock {

class RateCap {
 public:
  // How much of a backlog passes at once: 10 ms of requests at the cap.
  static constexpr std::chrono::nanoseconds kBurst = std::chrono::milliseconds(10);

  RateCap() = default;
  RateCap(const RateCap&) = delete;
  RateCap& operator=(const RateCap&) = delete;

  // At most `ops_per_sec` requests a second from now on; 0 (or less)
  // lifts the cap. The backlog of the old cap is forgotten: replies
  // already held back keep their time, new requests start a fresh queue.
  void set(double ops_per_sec);
  // The cap, 0 when there is none.
  double ops_per_sec() const;

  // Takes a turn for one request arriving at `now`; returns how long its
  // reply waits (zero without a cap or when its turn has come). `now`
  // should not go backwards by more than the burst between calls.
  std::chrono::nanoseconds admit(std::chrono::steady_clock::time_point now);

 private:
  std::atomic<int64_t> interval_ns_{0};  // between turns; 0: no cap
  std::atomic<int64_t> next_turn_ns_{0};  // steady-clock ns of the next free turn
};

}  // namespace tikvbench::mock
