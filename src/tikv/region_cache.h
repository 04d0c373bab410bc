// RegionCache maps a raw key to the region that owns it and to that region's
// leader, so the hot path routes without a PD round trip. Filled lazily from
// PD (and warmed with ScanRegions); corrected or dropped on region errors, as
// client-go's region cache is:
//   - regions are kept by start key and versioned by epoch: a region older
//     than a cached one it overlaps is never inserted; a newer one replaces
//     every entry it overlaps;
//   - NotLeader moves the cached leader; EpochNotMatch installs the regions
//     TiKV sent; other region errors and failed sends drop the entry.
// Store addresses are cached too, and dropped on StoreNotMatch.
//
// At most kMaxConcurrentLoads region loads go to PD at once. A miss past
// that fails at once (kUnavailable) and its caller backs off and looks
// again, by when the loads in flight have often brought its region in: so
// that thousands of operations missing together (after a flood of region
// errors, or on a starved machine) never become thousands of GetRegion
// calls that keep PD from answering any of them in time.
//
// The warm-up resolves every store it sees, so that the first operations of
// a run, all missing at once, do not each ask PD for their store.
//
// Thread safety: every public method may be called from any event-loop
// thread. No lock is held across a suspension point.
// Lifetime: `pd` must outlive the cache.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <asio/awaitable.hpp>

#include "metapb.pb.h"
#include "pd/pd_client.h"
#include "tikv/cached_region.h"
#include "tikv/region_index.h"
#include "util/status.h"

namespace tikvbench::tikv {


class RegionCache {
 public:
  static constexpr int kMaxConcurrentLoads = 64;

  explicit RegionCache(pd::PdClient& pd);
  RegionCache(const RegionCache&) = delete;
  RegionCache& operator=(const RegionCache&) = delete;

  // The region containing `key`, loading it from PD on a miss. Suspends.
  // Fails as PdClient fails, or with kUnavailable when too many loads are in
  // flight; the cache is then unchanged.
  asio::awaitable<Result<RegionPtr>> locate(std::string key);
  // The region a reverse scan from `key` (exclusive upper bound) starts in:
  // the one whose range holds the keys just below `key`. An empty key means
  // the end of the keyspace. Suspends.
  asio::awaitable<Result<RegionPtr>> locate_end(std::string key);
  // Loads every region (in pages) and the addresses of their stores, to
  // warm the cache. Suspends.
  asio::awaitable<Status> warm(int page = 1024);

  // The cached region containing `key`, or null. Never suspends.
  RegionPtr lookup(std::string_view key) const;
  // Moves on with every change to the cached regions or store addresses
  // (made under the cache's lock), so copies of what lookup() and
  // cached_store_address() returned can tell when they may be stale (see
  // RouteMemo). Reading it takes no lock.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  size_t size() const;
  // size() as of the last change, read without the lock: for choices that
  // a stale count cannot make wrong (RouteMemo's).
  size_t size_hint() const { return size_hint_.load(std::memory_order_relaxed); }

  // Inserts a region as PD or TiKV reported it, following the epoch rules
  // above. Returns false when it was stale and not inserted.
  bool insert(const metapb::Region& meta, const metapb::Peer& leader);
  // Drops the entry for `region` if it is still the cached one.
  void invalidate(const CachedRegion& region);
  // NotLeader with a leader: the cached region now leads from `leader`.
  // Drops the entry when `leader` is not one of its peers.
  void update_leader(const CachedRegion& region, const metapb::Peer& leader);
  // A send to the leader failed: try the next peer next time (a follower
  // answers NotLeader with the real leader, as client-go's selector expects).
  void rotate_leader(const CachedRegion& region);
  // EpochNotMatch: installs `current` regions. Returns false when TiKV's view
  // is older than the cached one (the caller backs off regionMiss).
  bool on_epoch_not_match(const CachedRegion& region,
                          const google::protobuf::RepeatedPtrField<metapb::Region>& current);

  // A store's address, from PD on the first use. Suspends. Fails as
  // PdClient fails.
  asio::awaitable<Result<std::string>> store_address(uint64_t store_id);
  // The cached address, or nullopt. Never suspends (the hot path's way).
  std::optional<std::string> cached_store_address(uint64_t store_id) const;
  // Every store address cached now, by store id.
  std::map<uint64_t, std::string> store_addresses() const;
  // lookup(key) and the cached address of its leader's store, under one
  // hold of the lock: false, changing neither, when either is missing.
  // Never suspends.
  bool lookup_route(std::string_view key, RegionPtr& region, std::string& address) const;
  void invalidate_store(uint64_t store_id);

 private:
  // REQUIRES: mu_ held exclusively.
  bool insert_locked(RegionPtr region);
  void erase_locked(const CachedRegion& region);
  RegionPtr replace_leader(const CachedRegion& region, size_t leader);
  static void set_context(CachedRegion& region);
  static RegionPtr make_region(const metapb::Region& meta, const metapb::Peer& leader);
  // Takes one of the kMaxConcurrentLoads load slots; false when none is free.
  bool begin_load();
  void end_load();

  // The exclusive hold of mu_ that every change takes: the generation moves
  // on before the lock is released.
  class Change {
   public:
    explicit Change(RegionCache& cache) : cache_(cache), lock_(cache.mu_) {}
    ~Change() {
      cache_.size_hint_.store(cache_.by_start_.size(), std::memory_order_relaxed);
      cache_.generation_.fetch_add(1, std::memory_order_release);
    }
    Change(const Change&) = delete;
    Change& operator=(const Change&) = delete;

   private:
    RegionCache& cache_;
    std::unique_lock<std::shared_mutex> lock_;
  };

  pd::PdClient& pd_;
  std::atomic<int> loads_in_flight_{0};
  // Read by every request on every loop, written only by changes: a line of
  // its own, apart from the lock and the counter above.
  alignas(64) std::atomic<uint64_t> generation_{0};
  std::atomic<size_t> size_hint_{0};

  alignas(64) mutable std::shared_mutex mu_;
  RegionIndex by_start_;                                    // Guarded by mu_.
  std::unordered_map<uint64_t, std::string> start_by_id_;   // Guarded by mu_.
  std::unordered_map<uint64_t, std::string> stores_;        // Guarded by mu_.
};

}  // namespace tikvbench::tikv
