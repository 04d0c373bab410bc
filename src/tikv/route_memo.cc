#include "tikv/route_memo.h"

#include <memory>
#include <utility>

namespace tikvbench::tikv {

const RouteMemo::Route* RouteMemo::find(std::string_view key) {
  // Read before the cache is: what is copied below is at least this new.
  auto& by_start = by_start_.at(cache_.generation());
  if (auto it = by_start.upper_bound(key); it != by_start.begin()) {
    --it;
    if (it->second.region->contains(key)) return &it->second;
  }
  const RegionPtr shared = cache_.lookup(key);
  if (!shared) return nullptr;
  auto address = cache_.cached_store_address(shared->leader_peer().store_id());
  if (!address) return nullptr;
  if (by_start.size() >= capacity_) {
    // Full (more regions in use than it keeps): this route as the shared
    // cache has it, without a copy.
    overflow_ = Route{shared, std::move(*address)};
    return &overflow_;
  }
  const auto [it, inserted] = by_start.insert_or_assign(
      shared->start_key, Route{std::make_shared<const CachedRegion>(*shared), std::move(*address)});
  return &it->second;
}

}  // namespace tikvbench::tikv
