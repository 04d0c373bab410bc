#include "mock/rate_cap.h"

#include <algorithm>
#include <cmath>

namespace tikvbench::mock {

void RateCap::set(double ops_per_sec) {
  // At most one turn an hour apart: below 1/3600 ops/s, the cap is that.
  const double seconds = ops_per_sec > 0 ? std::min(3600.0, 1.0 / ops_per_sec) : 0;
  const int64_t interval = ops_per_sec > 0 ? std::max<int64_t>(1, std::llround(seconds * 1e9)) : 0;
  next_turn_ns_.store(0, std::memory_order_relaxed);
  interval_ns_.store(interval, std::memory_order_relaxed);
}

double RateCap::ops_per_sec() const {
  const int64_t interval = interval_ns_.load(std::memory_order_relaxed);
  return interval == 0 ? 0.0 : 1e9 / static_cast<double>(interval);
}

std::chrono::nanoseconds RateCap::admit(std::chrono::steady_clock::time_point now) {
  const int64_t interval = interval_ns_.load(std::memory_order_relaxed);
  if (interval == 0) return std::chrono::nanoseconds(0);
  const int64_t now_ns = now.time_since_epoch() / std::chrono::nanoseconds(1);
  int64_t next = next_turn_ns_.load(std::memory_order_relaxed);
  int64_t turn = 0;
  do {
    turn = std::max(next, now_ns);
  } while (!next_turn_ns_.compare_exchange_weak(next, turn + interval, std::memory_order_relaxed));
  const int64_t burst = std::max<int64_t>(interval, kBurst.count());
  return std::chrono::nanoseconds(std::max<int64_t>(0, turn - now_ns - burst));
}

}  // namespace tikvbench::mock
