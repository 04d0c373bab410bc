// SuccessGaps finds the longest stretch of a run with no successful
// operation: the time a cluster was unavailable to the workload, to the
// millisecond. Every success marks its millisecond tick in a ring of
// flags; settle() walks the ticks that can no longer change, in order,
// measuring each run of ticks without a success. A stretch still open when
// the run ends (no success since) counts up to the last tick settled.
//
// Counting starts at 0 (the run's start); skip_to() leaves time out (a
// warm-up, whose operations do not count): a stretch open there ends, and
// a new one may start only after it.
//
// Memory: one byte per tick of `horizon` (default 64 s: 64 KiB). A success
// older than the ticks settled, or further ahead than the horizon, is not
// seen; the caller settles only ticks some margin in the past, and often
// enough that the horizon is never reached (Recorder: every status
// interval, with a horizon of at least four of them).
//
// Thread safety: success() from any thread (a relaxed load, and a relaxed
// store once per tick per thread); settle(), skip_to() and the getters
// from one thread at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

namespace tikvbench::measure {

class SuccessGaps {
 public:
  static constexpr std::chrono::milliseconds kTick{1};

  explicit SuccessGaps(std::chrono::nanoseconds horizon = std::chrono::seconds(64));
  SuccessGaps(const SuccessGaps&) = delete;
  SuccessGaps& operator=(const SuccessGaps&) = delete;

  // A successful operation ended at `t`, since the run's start.
  void success(std::chrono::nanoseconds t) {
    if (t.count() < 0) return;
    const auto tick = static_cast<uint64_t>(t / kTick);
    if (tick < cursor_.load(std::memory_order_relaxed) ||
        tick >= cursor_.load(std::memory_order_relaxed) + size_) {
      return;
    }
    auto& flag = flags_[tick & (size_ - 1)];
    if (flag.load(std::memory_order_relaxed) == 0) flag.store(1, std::memory_order_relaxed);
  }

  // Settles every tick before `until`.
  void settle(std::chrono::nanoseconds until);
  // Leaves out the time from the ticks settled up to `t`: the stretch open
  // ends where they end, and the next starts at `t`.
  void skip_to(std::chrono::nanoseconds t);

  struct Gap {
    std::chrono::nanoseconds start{0};   // since the run's start
    std::chrono::nanoseconds length{0};  // 0: none (a success every tick)
  };
  // The longest stretch without a success so far (the open one included).
  Gap longest() const;
  // The end of the ticks settled so far.
  std::chrono::nanoseconds settled_until() const {
    return kTick * static_cast<int64_t>(cursor_.load(std::memory_order_relaxed));
  }

 private:
  const uint64_t size_;  // a power of two
  std::unique_ptr<std::atomic<uint8_t>[]> flags_;
  std::atomic<uint64_t> cursor_{0};  // the first tick not settled
  uint64_t run_start_ = 0;            // the first tick of the open stretch without a success
  Gap longest_;
};

}  // namespace tikvbench::measure
