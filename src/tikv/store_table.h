// StoreTable keeps a transport's per-store state (connections, streams),
// one entry per store id, replaced when PD gives the store a new address.
// The hot path only takes a shared lock, or none where it keeps its own
// copies of entries and checks generation().
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace tikvbench::tikv {

// REQUIRES: Entry has a `std::string address` member.
template <class Entry>
class StoreTable {
 public:
  // The entry for `store_id` at `address`. When there is none, or the store
  // moved, `make()` builds a new one; `replaced(old)` sees the entry it
  // replaces. Both run under the table's exclusive lock.
  template <class Make, class Replaced>
  std::shared_ptr<Entry> find_or_make(uint64_t store_id, const std::string& address, Make make,
                                      Replaced replaced) {
    {
      std::shared_lock lock(mu_);
      auto it = entries_.find(store_id);
      if (it != entries_.end() && it->second->address == address) return it->second;
    }
    std::unique_lock lock(mu_);
    auto& entry = entries_[store_id];
    if (!entry || entry->address != address) {
      if (entry) replaced(*entry);
      entry = make();
      generation_.fetch_add(1, std::memory_order_release);
    }
    return entry;
  }

  // Moves on whenever an entry is made or replaced, so per-loop copies of
  // entries can tell when they may be stale. Reading it takes no lock.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // Calls f(entry) for every entry under a shared lock.
  template <class F>
  void for_each(F f) const {
    std::shared_lock lock(mu_);
    for (const auto& [id, entry] : entries_) f(*entry);
  }

 private:
  // Read by every request on every loop, written only by changes: a line of
  // its own, apart from the lock.
  alignas(64) std::atomic<uint64_t> generation_{0};
  alignas(64) mutable std::shared_mutex mu_;
  std::unordered_map<uint64_t, std::shared_ptr<Entry>> entries_;  // Guarded by mu_.
};

}  // namespace tikvbench::tikv
