// TsoAllocator hands out PD timestamps: a physical part (wall-clock
// milliseconds) and a logical counter below 2^18, strictly increasing over
// the allocator's life, even when the wall clock steps back.
//
// allocate(count) reserves `count` consecutive timestamps and returns the
// last, as PD's Tso answers (the client derives the first as
// logical - count + 1).
//
// Thread safety: allocate() may be called from any thread.
#pragma once

#include <cstdint>
#include <mutex>

namespace tikvbench::mock {

struct TsoTimestamp {
  int64_t physical = 0;  // milliseconds since the Unix epoch
  int64_t logical = 0;
};

class TsoAllocator {
 public:
  // PD's logical part stays below 2^18.
  static constexpr int64_t kMaxLogical = int64_t{1} << 18;

  // REQUIRES: 0 < count < kMaxLogical.
  TsoTimestamp allocate(uint32_t count);

 private:
  std::mutex mu_;
  TsoTimestamp last_;  // Guarded by mu_.
};

}  // namespace tikvbench::mock
