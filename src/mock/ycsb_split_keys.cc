#include "mock/ycsb_split_keys.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "util/fnv_hash.h"

namespace tikvbench::mock {
namespace {

// A hash's decimal digits, zero-padded after its end: '\0' sorts before
// every digit, so the arrays sort as the strings do.
using Digits = std::array<char, 20>;

Digits digits_of(int64_t hash) {
  Digits digits{};
  std::to_chars(digits.data(), digits.data() + digits.size(), hash);
  return digits;
}

}  // namespace

std::vector<std::string> ycsb_split_keys(size_t regions, size_t records, std::string_view prefix) {
  assert(records >= regions);
  std::vector<std::string> keys;
  if (regions <= 1) return keys;
  const size_t samples = records;
  std::vector<Digits> sorted;
  sorted.reserve(samples);
  for (size_t n = 0; n < samples; ++n) sorted.push_back(digits_of(fnv_hash64(static_cast<int64_t>(n))));
  std::sort(sorted.begin(), sorted.end());
  keys.reserve(regions - 1);
  for (size_t i = 1; i < regions; ++i) {
    const Digits& at = sorted[i * samples / regions];
    std::string key(prefix);
    key.append(at.data(), strnlen(at.data(), at.size()));
    if (keys.empty() || key > keys.back()) keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace tikvbench::mock
