#include "mock/region_table.h"

#include <algorithm>
#include <cassert>
#include <iterator>

#include <fmt/format.h>

namespace tikvbench::mock {

const metapb::Peer* Region::peer_on(uint64_t store_id) const {
  for (const auto& peer : meta.peers()) {
    if (peer.store_id() == store_id) return &peer;
  }
  return nullptr;
}

bool Region::contains(std::string_view key) const {
  return key >= meta.start_key() && (meta.end_key().empty() || key < meta.end_key());
}

RegionTable::RegionTable(std::vector<uint64_t> store_ids, int replicas, uint64_t first_free_id)
    : store_ids_(std::move(store_ids)), replicas_(replicas), next_id_(first_free_id) {
  assert(!store_ids_.empty() && replicas_ >= 1);
  auto region = std::make_shared<Region>();
  region->meta.set_id(allocate_id());
  region->meta.mutable_region_epoch()->set_conf_ver(1);
  region->meta.mutable_region_epoch()->set_version(1);
  const size_t peers = std::min<size_t>(static_cast<size_t>(replicas_), store_ids_.size());
  for (size_t i = 0; i < peers; ++i) {
    auto* peer = region->meta.add_peers();
    peer->set_id(allocate_id());
    peer->set_store_id(store_ids_[i]);
  }
  region->leader_store_id = store_ids_[0];
  by_id_[region->meta.id()] = region;
  by_start_key_[""] = std::move(region);
}

void RegionTable::presplit(const std::vector<std::string>& split_keys) {
  std::unique_lock lock(mu_);
  assert(by_id_.size() == 1 && by_start_key_.begin()->second->data.empty());
  const size_t peers = std::min<size_t>(static_cast<size_t>(replicas_), store_ids_.size());
  Region& first = *by_start_key_.begin()->second;
  if (!split_keys.empty()) first.meta.set_end_key(split_keys.front());
  by_id_.reserve(split_keys.size() + 1);
  for (size_t i = 0; i < split_keys.size(); ++i) {
    auto region = std::make_shared<Region>();
    region->meta.set_id(allocate_id());
    region->meta.set_start_key(split_keys[i]);
    if (i + 1 < split_keys.size()) region->meta.set_end_key(split_keys[i + 1]);
    region->meta.mutable_region_epoch()->set_conf_ver(1);
    region->meta.mutable_region_epoch()->set_version(1);
    const size_t leader = (i + 1) % store_ids_.size();
    for (size_t p = 0; p < peers; ++p) {
      auto* peer = region->meta.add_peers();
      peer->set_id(allocate_id());
      peer->set_store_id(store_ids_[(leader + p) % store_ids_.size()]);
    }
    region->leader_store_id = store_ids_[leader];
    by_id_[region->meta.id()] = region;
    by_start_key_.emplace_hint(by_start_key_.end(), split_keys[i], std::move(region));
  }
}

std::shared_ptr<Region> RegionTable::by_id(uint64_t region_id) const {
  std::shared_lock lock(mu_);
  auto it = by_id_.find(region_id);
  return it == by_id_.end() ? nullptr : it->second;
}

std::shared_ptr<Region> RegionTable::by_key(std::string_view key) const {
  std::shared_lock lock(mu_);
  auto it = by_start_key_.upper_bound(key);
  assert(it != by_start_key_.begin());  // "" is always a start key
  return std::prev(it)->second;
}

RegionInfo RegionTable::info_locked(const Region& region) const {
  RegionInfo info;
  info.meta = region.meta;
  if (const auto* leader = region.peer_on(region.leader_store_id)) info.leader = *leader;
  return info;
}

RegionInfo RegionTable::info_for_key(std::string_view key) const {
  std::shared_lock lock(mu_);
  auto it = std::prev(by_start_key_.upper_bound(key));
  std::lock_guard region_lock(it->second->mu);
  return info_locked(*it->second);
}

std::optional<RegionInfo> RegionTable::info_before_key(std::string_view key) const {
  std::shared_lock lock(mu_);
  auto it = std::prev(by_start_key_.upper_bound(key));
  if (it == by_start_key_.begin()) return std::nullopt;
  --it;
  std::lock_guard region_lock(it->second->mu);
  return info_locked(*it->second);
}

std::optional<RegionInfo> RegionTable::info_by_id(uint64_t region_id) const {
  std::shared_lock lock(mu_);
  auto it = by_id_.find(region_id);
  if (it == by_id_.end()) return std::nullopt;
  std::lock_guard region_lock(it->second->mu);
  return info_locked(*it->second);
}

std::vector<RegionInfo> RegionTable::scan(std::string_view start_key, std::string_view end_key,
                                          size_t limit) const {
  std::vector<RegionInfo> result;
  std::shared_lock lock(mu_);
  for (auto it = std::prev(by_start_key_.upper_bound(start_key)); it != by_start_key_.end(); ++it) {
    if (!end_key.empty() && it->first >= end_key) break;
    if (limit != 0 && result.size() >= limit) break;
    std::lock_guard region_lock(it->second->mu);
    result.push_back(info_locked(*it->second));
  }
  return result;
}

size_t RegionTable::size() const {
  std::shared_lock lock(mu_);
  return by_id_.size();
}

std::vector<metapb::Region> RegionTable::current_regions_near(uint64_t region_id) const {
  std::vector<metapb::Region> result;
  std::shared_lock lock(mu_);
  auto found = by_id_.find(region_id);
  if (found == by_id_.end()) return result;
  std::string start;
  {
    std::lock_guard region_lock(found->second->mu);
    start = found->second->meta.start_key();
  }
  // The region, then its left and right neighbours: a split leaves the
  // original on the right, so a stale client's range is covered by these.
  auto it = by_start_key_.find(start);
  assert(it != by_start_key_.end());
  auto add = [&](const std::shared_ptr<Region>& region) {
    std::lock_guard region_lock(region->mu);
    result.push_back(region->meta);
  };
  add(it->second);
  if (it != by_start_key_.begin()) add(std::prev(it)->second);
  if (std::next(it) != by_start_key_.end()) add(std::next(it)->second);
  return result;
}

RegionTable::SplitResult RegionTable::split(uint64_t region_id,
                                            std::optional<std::string> split_key) {
  std::unique_lock lock(mu_);
  auto found = by_id_.find(region_id);
  if (found == by_id_.end()) return {0, fmt::format("region {} not found", region_id)};
  const auto original = found->second;
  std::lock_guard region_lock(original->mu);
  original->split_scheduled = false;
  if (!split_key) {
    if (original->data.size() < 2) {
      return {0, fmt::format("region {} has too few keys to split at its median", region_id)};
    }
    split_key = std::next(original->data.begin(),
                          static_cast<std::ptrdiff_t>(original->data.size() / 2))->first;
  }
  if (*split_key <= original->meta.start_key() || !original->contains(*split_key)) {
    return {0, fmt::format("split key is not strictly inside region {}", region_id)};
  }

  // The new region takes the left half [start, split_key); the original keeps
  // its id and the right half, as TiKV does with right-derive.
  auto left = std::make_shared<Region>();
  left->meta.set_id(allocate_id());
  left->meta.set_start_key(original->meta.start_key());
  left->meta.set_end_key(*split_key);
  const uint64_t version = original->meta.region_epoch().version() + 1;
  left->meta.mutable_region_epoch()->set_conf_ver(original->meta.region_epoch().conf_ver());
  left->meta.mutable_region_epoch()->set_version(version);
  for (const auto& peer : original->meta.peers()) {
    auto* copy = left->meta.add_peers();
    copy->set_id(allocate_id());
    copy->set_store_id(peer.store_id());
    copy->set_role(peer.role());
  }
  left->leader_store_id = original->leader_store_id;
  const auto boundary = original->data.lower_bound(*split_key);
  for (auto it = original->data.begin(); it != boundary;) {
    auto next = std::next(it);
    left->data.insert(left->data.end(), original->data.extract(it));
    it = next;
  }
  original->meta.set_start_key(*split_key);
  original->meta.mutable_region_epoch()->set_version(version);

  by_start_key_[*split_key] = original;
  by_start_key_[left->meta.start_key()] = left;
  by_id_[left->meta.id()] = left;
  return {left->meta.id(), {}};
}

std::string RegionTable::transfer_leader(uint64_t region_id, uint64_t store_id) {
  const auto region = by_id(region_id);
  if (!region) return fmt::format("region {} not found", region_id);
  std::lock_guard region_lock(region->mu);
  if (!region->peer_on(store_id)) {
    return fmt::format("region {} has no peer on store {}", region_id, store_id);
  }
  region->leader_store_id = store_id;
  return {};
}

size_t RegionTable::move_leaders_off(uint64_t store_id, const std::vector<uint64_t>& down_stores) {
  size_t moved = 0;
  std::shared_lock lock(mu_);
  for (const auto& [id, region] : by_id_) {
    std::lock_guard region_lock(region->mu);
    if (region->leader_store_id != store_id) continue;
    for (const auto& peer : region->meta.peers()) {
      if (peer.store_id() == store_id) continue;
      if (std::find(down_stores.begin(), down_stores.end(), peer.store_id()) != down_stores.end()) continue;
      region->leader_store_id = peer.store_id();
      ++moved;
      break;
    }
  }
  return moved;
}

}  // namespace tikvbench::mock
