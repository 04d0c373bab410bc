// RouteMemo is one event loop's own copy of the routes its requests took
// lately: for a key, the cached region that holds it and the address of
// its leader's store. While the region cache's generation is unchanged the
// memo answers without a lock and without touching memory another loop
// writes; the first use after any change to the cache empties it, and a
// miss reads the shared cache and keeps a copy of what it found.
//
// The shared cache alone cost every request two reader locks and a
// reference to the shared region: atomic writes to lines that every loop
// writes, which move between cores on each request.
//
// The regions it hands out are its own copies (or, once it is full, the
// cache's own); the cache's methods that take a region (invalidate,
// update_leader, ...) compare by id, epoch and leader, so a copy stands for
// the original.
//
// Thread safety: none. One memo per event loop, used only on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "tikv/loop_snapshot.h"
#include "tikv/region_cache.h"

namespace tikvbench::tikv {

class RouteMemo {
 public:
  struct Route {
    RegionPtr region;     // this memo's copy (the cache's own past capacity)
    std::string address;  // of the region's leader's store
  };

  // Keeps up to `capacity` routes; past that, find() answers from the
  // shared cache (the cache's own region, no copy) until the next change.
  // While the cache holds more than twice `capacity` regions, the memo
  // would mostly miss: find() then answers from the shared cache alone.
  explicit RouteMemo(const RegionCache& cache, size_t capacity = 4096) : cache_(cache), capacity_(capacity) {}
  RouteMemo(const RouteMemo&) = delete;
  RouteMemo& operator=(const RouteMemo&) = delete;

  // The route for `key`, or null when the cache has no region for it or no
  // address for its leader's store (the caller takes the slow path). Valid
  // until the next find().
  const Route* find(std::string_view key);

 private:
  const RegionCache& cache_;
  const size_t capacity_;
  LoopSnapshot<std::map<std::string, Route, std::less<>>> by_start_;  // by the region's start key
  Route shared_;  // the last route answered from the shared cache
};

}  // namespace tikvbench::tikv
