#include "tikv/region_cache.h"

#include <iterator>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "kvrpcpb.pb.h"

namespace tikvbench::tikv {
namespace {

// True when `a` is strictly newer than `b` in either part of the epoch.
bool newer(const metapb::RegionEpoch& a, const metapb::RegionEpoch& b) {
  return a.version() > b.version() || a.conf_ver() > b.conf_ver();
}

bool overlaps(const CachedRegion& a, const CachedRegion& b) {
  const bool a_before_b = !a.end_key.empty() && a.end_key <= b.start_key;
  const bool b_before_a = !b.end_key.empty() && b.end_key <= a.start_key;
  return !a_before_b && !b_before_a;
}

}  // namespace

RegionCache::RegionCache(pd::PdClient& pd) : pd_(pd) {}

RegionPtr RegionCache::make_region(const metapb::Region& meta, const metapb::Peer& leader) {
  auto region = std::make_shared<CachedRegion>();
  region->id = meta.id();
  region->epoch = meta.region_epoch();
  region->start_key = meta.start_key();
  region->end_key = meta.end_key();
  region->peers.assign(meta.peers().begin(), meta.peers().end());
  for (size_t i = 0; i < region->peers.size(); ++i) {
    if (region->peers[i].store_id() == leader.store_id()) region->leader = i;
  }
  set_context(*region);
  return region;
}

void RegionCache::set_context(CachedRegion& region) {
  kvrpcpb::Context context;
  context.set_region_id(region.id);
  *context.mutable_region_epoch() = region.epoch;
  if (!region.peers.empty()) *context.mutable_peer() = region.leader_peer();
  region.context = context.SerializeAsString();
}

RegionPtr RegionCache::lookup(std::string_view key) const {
  std::shared_lock lock(mu_);
  const size_t after = by_start_.upper_bound(key);
  if (after == 0) return nullptr;
  const RegionPtr& region = by_start_.at(after - 1);
  return region->contains(key) ? region : nullptr;
}

bool RegionCache::lookup_route(std::string_view key, RegionPtr& region, std::string& address) const {
  std::shared_lock lock(mu_);
  const size_t after = by_start_.upper_bound(key);
  if (after == 0 || !by_start_.at(after - 1)->contains(key)) return false;
  const auto store = stores_.find(by_start_.at(after - 1)->leader_peer().store_id());
  if (store == stores_.end()) return false;
  region = by_start_.at(after - 1);
  address = store->second;
  return true;
}

size_t RegionCache::size() const {
  std::shared_lock lock(mu_);
  return by_start_.size();
}

void RegionCache::erase_locked(const CachedRegion& region) {
  // `region` may be the cached entry itself, which the last erase frees:
  // nothing reads it after that.
  auto id = start_by_id_.find(region.id);
  if (id != start_by_id_.end() && id->second == region.start_key) start_by_id_.erase(id);
  const size_t position = by_start_.find(region.start_key);
  if (position != RegionIndex::npos && by_start_.at(position)->id == region.id) by_start_.erase_at(position);
}

bool RegionCache::insert_locked(RegionPtr region) {
  // Every cached region that overlaps the new one starts before its end.
  std::vector<RegionPtr> overlapping;
  size_t position = by_start_.upper_bound(region->start_key);
  if (position != 0) --position;
  for (; position < by_start_.size(); ++position) {
    const RegionPtr& cached = by_start_.at(position);
    if (!region->end_key.empty() && cached->start_key >= region->end_key) break;
    if (overlaps(*cached, *region)) overlapping.push_back(cached);
  }
  for (const auto& old : overlapping) {
    // A region is never replaced by an older view of its keys.
    if (newer(old->epoch, region->epoch) && (old->id == region->id || old->epoch.version() > region->epoch.version())) {
      return false;
    }
  }
  for (const auto& old : overlapping) erase_locked(*old);
  // The same id may linger at another start key (before a split moved it).
  if (auto id = start_by_id_.find(region->id); id != start_by_id_.end()) {
    const size_t stale = by_start_.find(id->second);
    if (stale != RegionIndex::npos && by_start_.at(stale)->id == region->id) by_start_.erase_at(stale);
  }
  start_by_id_[region->id] = region->start_key;
  by_start_.put(std::move(region));
  return true;
}

bool RegionCache::insert(const metapb::Region& meta, const metapb::Peer& leader) {
  auto region = make_region(meta, leader);
  const Change change(*this);
  return insert_locked(std::move(region));
}

void RegionCache::invalidate(const CachedRegion& region) {
  const Change change(*this);
  const size_t position = by_start_.find(region.start_key);
  if (position != RegionIndex::npos && by_start_.at(position)->id == region.id &&
      !newer(by_start_.at(position)->epoch, region.epoch)) {
    erase_locked(*by_start_.at(position));
  }
}

RegionPtr RegionCache::replace_leader(const CachedRegion& region, size_t leader) {
  auto updated = std::make_shared<CachedRegion>(region);
  updated->leader = leader;
  set_context(*updated);
  return updated;
}

void RegionCache::update_leader(const CachedRegion& region, const metapb::Peer& leader) {
  const Change change(*this);
  const size_t position = by_start_.find(region.start_key);
  if (position == RegionIndex::npos || by_start_.at(position)->id != region.id) return;
  const auto& current = *by_start_.at(position);
  for (size_t i = 0; i < current.peers.size(); ++i) {
    if (current.peers[i].store_id() == leader.store_id()) {
      if (current.leader != i) by_start_.replace_at(position, replace_leader(current, i));
      return;
    }
  }
  // A leader we do not know as a peer: our view of the region is stale.
  erase_locked(current);
}

void RegionCache::rotate_leader(const CachedRegion& region) {
  const Change change(*this);
  const size_t position = by_start_.find(region.start_key);
  if (position == RegionIndex::npos) return;
  const auto& current = *by_start_.at(position);
  if (current.id != region.id || current.peers.size() < 2) return;
  // Only rotate away from the leader that failed, once.
  if (current.leader != region.leader) return;
  by_start_.replace_at(position, replace_leader(current, (region.leader + 1) % region.peers.size()));
}

bool RegionCache::on_epoch_not_match(const CachedRegion& region,
                                     const google::protobuf::RepeatedPtrField<metapb::Region>& current) {
  const Change change(*this);
  for (const auto& meta : current) {
    // TiKV behind us (it has not applied what PD told us): back off.
    if (meta.id() == region.id && newer(region.epoch, meta.region_epoch())) return false;
  }
  bool replaced_self = false;
  for (const auto& meta : current) {
    // Keep the leader on the same store where TiKV gave no better idea.
    metapb::Peer leader;
    if (meta.id() == region.id) leader = region.leader_peer();
    else if (meta.peers_size() > 0) leader = meta.peers(0);
    for (const auto& peer : meta.peers()) {
      if (peer.store_id() == region.leader_peer().store_id()) leader = peer;
    }
    if (insert_locked(make_region(meta, leader)) && meta.id() == region.id) replaced_self = true;
  }
  if (!replaced_self) {
    const size_t position = by_start_.find(region.start_key);
    if (position != RegionIndex::npos && by_start_.at(position)->id == region.id &&
        !newer(by_start_.at(position)->epoch, region.epoch)) {
      erase_locked(*by_start_.at(position));
    }
  }
  return true;
}

bool RegionCache::begin_load() {
  if (loads_in_flight_.fetch_add(1, std::memory_order_relaxed) < kMaxConcurrentLoads) return true;
  loads_in_flight_.fetch_sub(1, std::memory_order_relaxed);
  return false;
}

void RegionCache::end_load() { loads_in_flight_.fetch_sub(1, std::memory_order_relaxed); }

namespace {

Status too_many_loads() {
  return Status(StatusCode::kUnavailable,
                fmt::format("{} region loads already in flight to PD", RegionCache::kMaxConcurrentLoads));
}

}  // namespace

asio::awaitable<Result<RegionPtr>> RegionCache::locate(std::string key) {
  if (auto cached = lookup(key)) co_return cached;
  if (!begin_load()) co_return too_many_loads();
  auto loaded = co_await pd_.get_region(key);
  end_load();
  if (!loaded.ok()) co_return loaded.status();
  auto region = make_region(loaded->meta, loaded->leader);
  if (!region->contains(key)) {
    co_return Status(StatusCode::kRegionError, fmt::format("PD returned a region that does not hold the key"));
  }
  {
    const Change change(*this);
    insert_locked(region);
  }
  co_return RegionPtr(std::move(region));
}

asio::awaitable<Result<RegionPtr>> RegionCache::locate_end(std::string key) {
  {
    std::shared_lock lock(mu_);
    if (key.empty()) {
      if (!by_start_.empty() && by_start_.at(by_start_.size() - 1)->end_key.empty()) {
        co_return by_start_.at(by_start_.size() - 1);
      }
    } else {
      // The first start >= key: the region before it holds key's predecessors.
      if (const size_t position = by_start_.lower_bound(key); position != 0) {
        const RegionPtr& region = by_start_.at(position - 1);
        if (region->contains_end(key)) co_return region;
      }
    }
  }
  // PD: the region holding `key`, or the one before it when `key` starts it.
  if (!begin_load()) co_return too_many_loads();
  Result<pd::PdRegion> loaded = Status(StatusCode::kInternal, "unset");
  if (key.empty()) {
    auto all = co_await pd_.scan_regions("", "", 0);
    if (!all.ok()) loaded = all.status();
    else if (all->empty()) loaded = Status(StatusCode::kRegionError, "PD has no regions");
    else loaded = std::move(all->back());
  } else {
    loaded = co_await pd_.get_region(key);
    if (loaded.ok() && loaded->meta.start_key() == key) loaded = co_await pd_.get_prev_region(key);
  }
  end_load();
  if (!loaded.ok()) co_return loaded.status();
  auto region = make_region(loaded->meta, loaded->leader);
  if (!region->contains_end(key)) co_return Status(StatusCode::kRegionError, "no region ends at the key");
  {
    const Change change(*this);
    insert_locked(region);
  }
  co_return RegionPtr(std::move(region));
}

asio::awaitable<Status> RegionCache::warm(int page) {
  std::string start;
  std::set<uint64_t> store_ids;
  for (bool more = true; more;) {
    auto regions = co_await pd_.scan_regions(start, "", page);
    if (!regions.ok()) co_return regions.status();
    for (const auto& region : *regions) {
      insert(region.meta, region.leader);
      for (const auto& peer : region.meta.peers()) store_ids.insert(peer.store_id());
    }
    more = static_cast<int>(regions->size()) >= page && !regions->back().meta.end_key().empty();
    if (more) start = regions->back().meta.end_key();
  }
  for (uint64_t id : store_ids) {
    // A store PD cannot describe now is asked for again on its first use.
    auto resolved = co_await store_address(id);
    static_cast<void>(resolved);
  }
  co_return Status();
}

std::optional<std::string> RegionCache::cached_store_address(uint64_t store_id) const {
  std::shared_lock lock(mu_);
  if (auto it = stores_.find(store_id); it != stores_.end()) return it->second;
  return std::nullopt;
}

std::map<uint64_t, std::string> RegionCache::store_addresses() const {
  std::shared_lock lock(mu_);
  return {stores_.begin(), stores_.end()};
}

asio::awaitable<Result<std::string>> RegionCache::store_address(uint64_t store_id) {
  if (auto cached = cached_store_address(store_id)) co_return std::move(*cached);
  auto store = co_await pd_.get_store(store_id);
  if (!store.ok()) co_return store.status();
  const Change change(*this);
  stores_[store_id] = store->address();
  co_return store->address();
}

void RegionCache::invalidate_store(uint64_t store_id) {
  const Change change(*this);
  stores_.erase(store_id);
}

}  // namespace tikvbench::tikv
