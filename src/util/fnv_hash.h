// The 64-bit FNV-1a hashes of a record number that YCSB-style benchmarks use
// to scatter keys ("insertorder=hashed") and to spread Zipfian's popular items
// (ScrambledZipfianGenerator). The two YCSBs differ, so both are here:
//
//   fnv_hash64       go-ycsb's util.Hash64: FNV-1a over the 8 bytes of n,
//                    big-endian (most significant byte first).
//   java_fnv_hash64  Java YCSB's Utils.fnvhash64: FNV-1a over the 8 bytes of
//                    n, little-endian (least significant byte first).
//
// Both then make the result non-negative as Java's Math.abs and go-ycsb's
// `if result < 0 { return -result }` do: a negative hash is negated, except
// INT64_MIN, which stays INT64_MIN (its negation overflows back to itself).
// Hence int64_t: the callers compute `min + hash % count` and print the hash
// with %d, and both match the originals only on the signed value.
//
// Pure functions; thread-safe; constexpr.
#pragma once

#include <cstdint>

namespace tikvbench {

inline constexpr uint64_t kFnvOffsetBasis64 = 0xCBF29CE484222325;
inline constexpr uint64_t kFnvPrime64 = 1099511628211;

namespace detail {

// Math.abs on the hash's two's-complement value, without signed overflow.
constexpr int64_t java_abs(uint64_t hash) { return static_cast<int64_t>((hash >> 63) != 0 ? 0 - hash : hash); }

}  // namespace detail

// go-ycsb util.Hash64(n).
constexpr int64_t fnv_hash64(int64_t n) {
  const auto bits = static_cast<uint64_t>(n);
  uint64_t hash = kFnvOffsetBasis64;
  for (int shift = 56; shift >= 0; shift -= 8) {
    hash ^= (bits >> shift) & 0xff;
    hash *= kFnvPrime64;
  }
  return detail::java_abs(hash);
}

// Java YCSB Utils.fnvhash64(n) (also Utils.hash).
constexpr int64_t java_fnv_hash64(int64_t n) {
  const auto bits = static_cast<uint64_t>(n);
  uint64_t hash = kFnvOffsetBasis64;
  for (int shift = 0; shift < 64; shift += 8) {
    hash ^= (bits >> shift) & 0xff;
    hash *= kFnvPrime64;
  }
  return detail::java_abs(hash);
}

}  // namespace tikvbench
