#include "tikv/route_memo.h"

#include <memory>
#include <utility>

namespace tikvbench::tikv {

const RouteMemo::Route* RouteMemo::find(std::string_view key) {
  // Read before the cache is: what is copied below is at least this new.
  auto& by_start = by_start_.at(cache_.generation());
  // With many more regions than it keeps, the memo would mostly miss, and
  // each miss searched twice.
  const bool memo_pays = cache_.size_hint() <= 2 * capacity_;
  if (memo_pays) {
    if (auto it = by_start.upper_bound(key); it != by_start.begin()) {
      --it;
      if (it->second.region->contains(key)) return &it->second;
    }
  }
  if (!cache_.lookup_route(key, shared_.region, shared_.address)) return nullptr;
  if (!memo_pays || by_start.size() >= capacity_) return &shared_;  // the cache's own region, no copy
  const auto [it, inserted] = by_start.insert_or_assign(
      shared_.region->start_key, Route{std::make_shared<const CachedRegion>(*shared_.region), shared_.address});
  return &it->second;
}

}  // namespace tikvbench::tikv
