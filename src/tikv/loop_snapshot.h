// LoopSnapshot is one event loop's own copy of entries read from a shared
// structure that counts its changes in a generation (RegionCache,
// StoreTable): while the generation is unchanged the copy answers without a
// lock and without touching memory another loop writes; the first use
// after any change empties it. RouteMemo keeps routes this way, and
// BatchTransport each loop's references to its stores.
//
// Use: read the shared generation first, then at(generation), then (on a
// miss) the shared structure: what is copied is at least that new.
//
// Thread safety: none. One snapshot per event loop, used only on it.
#pragma once

#include <cstdint>
#include <limits>

namespace tikvbench::tikv {

template <class Map>
class LoopSnapshot {
 public:
  // The entries copied while the shared structure was at `generation`;
  // emptied first when it has moved on since.
  Map& at(uint64_t generation) {
    if (generation != generation_) {
      entries_.clear();
      generation_ = generation;
    }
    return entries_;
  }

 private:
  uint64_t generation_ = std::numeric_limits<uint64_t>::max();
  Map entries_;
};

}  // namespace tikvbench::tikv
