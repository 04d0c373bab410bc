// slowest_store() picks out a TiKV store that answers much slower than the
// others over some figures (an interval's, for the status line): for each
// operation type, the stores' p99 latencies (successes, from the intended
// start) are compared, and the store whose p99 is more than `ratio` times
// the fastest store's, by the widest margin over all operation types, is
// named. Only stores with at least kMinStoreSuccesses successes of that type
// take part, so that one slow answer among few does not name a store.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "measure/recorder.h"

namespace tikvbench::report {

inline constexpr uint64_t kMinStoreSuccesses = 5;

struct SlowestStore {
  uint64_t store_id = 0;
  measure::OpType op = measure::OpType::kRead;
  int64_t p99_us = 0;          // the slowest store's
  uint64_t fastest_store_id = 0;
  int64_t fastest_p99_us = 0;  // the fastest store's
  double ratio = 0;            // p99_us / fastest_p99_us
};

// The slowest store of `figures`, or nullopt when no store's p99 is more
// than `ratio` times another's (or fewer than two stores take part).
std::optional<SlowestStore> slowest_store(const measure::Figures& figures, double ratio = 2.0);

// "slowest store 3 (10.0.0.3:20160): read p99 310ms, 258.3x store 1's 1.2ms".
std::string slowest_store_text(const SlowestStore& slowest, const std::map<uint64_t, std::string>& addresses);

}  // namespace tikvbench::report
