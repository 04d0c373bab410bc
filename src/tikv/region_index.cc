#include "tikv/region_index.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstring>
#include <utility>

namespace tikvbench::tikv {

RegionIndex::Head RegionIndex::head_of(std::string_view key) {
  char bytes[kHeadBytes] = {};
  std::memcpy(bytes, key.data(), std::min(key.size(), kHeadBytes));
  Head head;
  for (size_t i = 0; i < head.size(); ++i) {
    uint64_t word;
    std::memcpy(&word, bytes + 8 * i, 8);
    head[i] = std::endian::native == std::endian::little ? __builtin_bswap64(word) : word;
  }
  return head;
}

int RegionIndex::compare(std::string_view key, const Head& head, size_t position) const {
  // Zero padding keeps the order wherever two heads differ: a byte of the
  // key against the other's padding is a byte against nothing, which sorts
  // after. Equal heads may still hide different keys (longer ones, or a
  // zero byte against padding): then the whole keys decide.
  if (const auto by_head = head <=> heads_[position]; by_head != 0) return by_head < 0 ? -1 : 1;
  return key.compare(regions_[position]->start_key);
}

namespace {

// The first of positions 0..count-1 for which `before` is false, where it
// is true for a prefix of them (count when it holds for all).
template <class Before>
size_t partition_point(size_t count, Before before) {
  size_t low = 0;
  while (count > 0) {
    const size_t half = count / 2;
    if (before(low + half)) {
      low += half + 1;
      count -= half + 1;
    } else {
      count = half;
    }
  }
  return low;
}

}  // namespace

size_t RegionIndex::upper_bound(std::string_view key) const {
  const Head head = head_of(key);
  return partition_point(regions_.size(), [&](size_t position) { return compare(key, head, position) >= 0; });
}

size_t RegionIndex::lower_bound(std::string_view key) const {
  const Head head = head_of(key);
  return partition_point(regions_.size(), [&](size_t position) { return compare(key, head, position) > 0; });
}

size_t RegionIndex::find(std::string_view start_key) const {
  const size_t position = lower_bound(start_key);
  return position < regions_.size() && regions_[position]->start_key == start_key ? position : npos;
}

void RegionIndex::replace_at(size_t position, RegionPtr region) {
  assert(region->start_key == regions_[position]->start_key);
  regions_[position] = std::move(region);
}

void RegionIndex::put(RegionPtr region) {
  const size_t position = lower_bound(region->start_key);
  if (position < regions_.size() && regions_[position]->start_key == region->start_key) {
    regions_[position] = std::move(region);
    return;
  }
  const auto offset = static_cast<std::ptrdiff_t>(position);
  heads_.insert(heads_.begin() + offset, head_of(region->start_key));
  regions_.insert(regions_.begin() + offset, std::move(region));
}

void RegionIndex::erase_at(size_t position) {
  const auto offset = static_cast<std::ptrdiff_t>(position);
  heads_.erase(heads_.begin() + offset);
  regions_.erase(regions_.begin() + offset);
}

}  // namespace tikvbench::tikv
