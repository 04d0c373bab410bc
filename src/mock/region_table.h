// RegionTable is the mock cluster's keyspace: a set of regions that together
// cover every raw key, each with its epoch, its peers (one per store, on up to
// `replicas` stores), the store that leads it, and the data it holds in key
// order. It is what PD reports and what every store serves from.
//
// Regions split (the original keeps its id and the right half, as TiKV's
// default right-derive does; both halves get version + 1) and move leaders;
// conf_ver never changes because peers never move.
//
// Thread safety: every method may be called from any thread. The table's
// routing maps are guarded by a shared mutex; each region's state by the
// region's own mutex, so requests to different regions never contend. Lock
// order: table, then region; never the other way.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "metapb.pb.h"

namespace tikvbench::mock {

// One region's replicated state.
struct Region {
  mutable std::mutex mu;
  metapb::Region meta;           // Guarded by mu (range also by the table's lock).
  uint64_t leader_store_id = 0;  // Guarded by mu.
  std::map<std::string, std::string, std::less<>> data;  // Guarded by mu.
  bool split_scheduled = false;  // Guarded by mu.

  // REQUIRES: mu held. The peer of this region on `store_id`, if any.
  const metapb::Peer* peer_on(uint64_t store_id) const;
  // REQUIRES: mu held. Whether `key` lies in [start_key, end_key).
  bool contains(std::string_view key) const;
};

// A consistent copy of a region's metadata and leader, for PD replies.
struct RegionInfo {
  metapb::Region meta;
  metapb::Peer leader;
};

class RegionTable {
 public:
  // Creates one region covering the whole keyspace with a peer on each of the
  // first min(replicas, stores) stores, led by the first. `next_id` is the
  // id allocator shared with the rest of the cluster (PD's).
  // REQUIRES: !store_ids.empty(), replicas >= 1.
  RegionTable(std::vector<uint64_t> store_ids, int replicas, uint64_t first_free_id);
  RegionTable(const RegionTable&) = delete;
  RegionTable& operator=(const RegionTable&) = delete;

  // Cuts the keyspace at `split_keys` (strictly increasing, none empty) into
  // split_keys.size() + 1 regions at once, as a large cluster would be at
  // start: region i is led from the i-th store (round-robin), with peers on
  // it and the stores after it. REQUIRES: the table still holds only its
  // first region, and no data.
  void presplit(const std::vector<std::string>& split_keys);

  // The region with this id, or null.
  std::shared_ptr<Region> by_id(uint64_t region_id) const;
  // The region containing `key` (always one: regions cover the keyspace).
  std::shared_ptr<Region> by_key(std::string_view key) const;

  RegionInfo info_for_key(std::string_view key) const;
  // The region just before the one containing `key`, if any.
  std::optional<RegionInfo> info_before_key(std::string_view key) const;
  std::optional<RegionInfo> info_by_id(uint64_t region_id) const;
  // Regions overlapping [start_key, end_key) in key order, at most `limit`
  // (0: no limit). An empty end_key means the end of the keyspace.
  std::vector<RegionInfo> scan(std::string_view start_key, std::string_view end_key,
                               size_t limit) const;
  // Every region, in key order.
  std::vector<RegionInfo> all() const { return scan("", "", 0); }
  size_t size() const;

  // Regions that a client holding `region_id` at a stale epoch should learn:
  // the region itself and its neighbours that share its last split boundaries,
  // as TiKV attaches to EpochNotMatch. Never empty for a known region.
  std::vector<metapb::Region> current_regions_near(uint64_t region_id) const;

  // Splits the region at `split_key`; with no key, at its median key. Returns
  // the new (left) region's id, or an error message: unknown region, key not
  // strictly inside it, or too few keys to choose a median.
  struct SplitResult {
    uint64_t new_region_id = 0;
    std::string error;
  };
  SplitResult split(uint64_t region_id, std::optional<std::string> split_key);

  // Moves the leader to the peer on `store_id`. Returns an error message when
  // the region is unknown or has no peer there.
  std::string transfer_leader(uint64_t region_id, uint64_t store_id);

  // Key ranges and leaders for a store going down: every region it leads
  // moves its leader to another peer not in `down_stores`, if one exists.
  // Returns how many leaders moved.
  size_t move_leaders_off(uint64_t store_id, const std::vector<uint64_t>& down_stores);

  uint64_t allocate_id() { std::lock_guard lock(id_mu_); return next_id_++; }

 private:
  RegionInfo info_locked(const Region& region) const;  // REQUIRES: region.mu held

  std::vector<uint64_t> store_ids_;  // Constant after construction.
  int replicas_;                     // Constant after construction.

  std::mutex id_mu_;
  uint64_t next_id_;  // Guarded by id_mu_.

  mutable std::shared_mutex mu_;
  std::map<std::string, std::shared_ptr<Region>, std::less<>> by_start_key_;  // Guarded by mu_.
  std::unordered_map<uint64_t, std::shared_ptr<Region>> by_id_;              // Guarded by mu_.
};

}  // namespace tikvbench::mock
