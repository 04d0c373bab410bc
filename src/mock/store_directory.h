// StoreDirectory is PD's view of the mock cluster's stores: each store's
// metadata (id, address, state) and whether it is running now, with the time
// it went down, so PD can report its peers as down.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "metapb.pb.h"

namespace tikvbench::mock {

class StoreDirectory {
 public:
  // Adds or replaces a store's metadata; a new store starts as running.
  void put(const metapb::Store& store);
  std::optional<metapb::Store> get(uint64_t store_id) const;
  std::vector<metapb::Store> all() const;
  std::vector<uint64_t> ids() const;

  void set_running(uint64_t store_id, bool running);
  bool running(uint64_t store_id) const;
  // Stores not running now.
  std::vector<uint64_t> down_ids() const;
  // Seconds the store has been down, or nullopt when it runs.
  std::optional<uint64_t> down_seconds(uint64_t store_id) const;

 private:
  struct Entry {
    metapb::Store meta;
    std::optional<std::chrono::steady_clock::time_point> down_since;
  };
  mutable std::mutex mu_;
  std::map<uint64_t, Entry> stores_;  // Guarded by mu_.
};

}  // namespace tikvbench::mock
