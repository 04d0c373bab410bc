// RegionIndex keeps cached regions sorted by start key and finds the one
// that may hold a key, for RegionCache. It is a sorted array whose entries
// carry the first kHeadBytes bytes of their start key inline, so a search
// compares bytes the array holds itself and reads a region's own key only
// when two keys share those bytes: with 100,000 regions a lookup touches a
// few contiguous cache lines, where a std::map of strings missed the cache
// twice per level (node, then the key's heap bytes) and cost more than half
// of a request's client CPU.
//
// Insertions and erasures move the entries after them (a region appended at
// the end, as a warm-up in key order appends, moves none): 1,000,000
// regions take 48 MB, and a split in their middle moves half of that.
//
// Positions (size_t) are valid until the next put() or erase_at().
//
// Thread safety: none; RegionCache guards it with its lock.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "tikv/cached_region.h"

namespace tikvbench::tikv {

class RegionIndex {
 public:
  static constexpr size_t kHeadBytes = 24;
  static constexpr size_t npos = static_cast<size_t>(-1);

  size_t size() const { return regions_.size(); }
  bool empty() const { return regions_.empty(); }

  // The position of the first region whose start key is greater than
  // `key` (size() when none).
  size_t upper_bound(std::string_view key) const;
  // The position of the first region whose start key is not less than
  // `key` (size() when none).
  size_t lower_bound(std::string_view key) const;
  // The position of the region starting at `start_key`, or npos.
  size_t find(std::string_view start_key) const;

  const RegionPtr& at(size_t position) const { return regions_[position]; }
  // Replaces the region at `position` with another view of it.
  // REQUIRES: region->start_key is the replaced one's.
  void replace_at(size_t position, RegionPtr region);
  // Inserts `region` at its start key, replacing the region starting there.
  void put(RegionPtr region);
  void erase_at(size_t position);

 private:
  // A start key's first kHeadBytes bytes, zero-padded, as big-endian
  // words: the words compare as the bytes do.
  using Head = std::array<uint64_t, kHeadBytes / 8>;
  static Head head_of(std::string_view key);
  // <0, 0 or >0 as `key` (whose head is `head`) sorts before, with or after
  // the start key at `position`.
  int compare(std::string_view key, const Head& head, size_t position) const;

  std::vector<Head> heads_;        // heads_[i] is the head of regions_[i]->start_key
  std::vector<RegionPtr> regions_;  // by start key, ascending
};

}  // namespace tikvbench::tikv
