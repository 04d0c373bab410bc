// OpTrace says where one operation's requests went, for the per-store
// figures of a run: an operation counts for the store of its last attempt,
// and a multi-key operation split over regions records each part where it
// went.
//
// The caller owns it and passes it to a RawClient operation, which fills it
// in before it completes: `last_store` for an operation on one region at a
// time (get, put, delete, each region of a scan), `parts` for batch get,
// put and delete (one per request that came to an end, its store, whether
// it succeeded and when).
//
// Thread safety: written by the operation on its loop; read by the caller
// once the operation has completed.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace tikvbench::tikv {

struct StorePart {
  uint64_t store_id = 0;
  bool ok = false;
  std::chrono::steady_clock::time_point end;
};

struct OpTrace {
  uint64_t last_store = 0;        // 0: nothing was sent
  std::vector<StorePart> parts;   // multi-key operations only
};

}  // namespace tikvbench::tikv
