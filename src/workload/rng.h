// Rng is the seeded pseudo-random source every generator draws from:
// xoshiro256** (Blackman and Vigna, 2018) with its 256-bit state filled from
// the seed by splitmix64, as the xoshiro authors recommend. The same seed
// gives the same sequence on every platform and in every build, so a run
// and a test can be replayed; the sequence is part of the contract (the
// tests pin its first values).
//
// It also meets UniformRandomBitGenerator, so <random> distributions and
// std::shuffle accept it.
//
// Thread safety: none. Each worker owns one Rng; the shared generators take
// it by reference (see number_generator.h).
#pragma once

#include <cstdint>
#include <limits>

namespace tikvbench::workload {

class Rng {
 public:
  using result_type = uint64_t;

  explicit Rng(uint64_t seed) {
    uint64_t x = seed;
    for (uint64_t& word : s_) word = splitmix64(x);
  }

  // 64 uniformly distributed bits.
  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1): the top 53 bits scaled by 2^-53, so every value is a
  // multiple of 2^-53 and 0 is possible (as with Java's nextDouble and Go's
  // Float64).
  double next_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // Uniform in [lo, hi], both inclusive, without modulo bias (Lemire's
  // multiply-and-reject). REQUIRES: lo <= hi.
  int64_t uniform(int64_t lo, int64_t hi) {
    const uint64_t range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
    if (range == 0) return static_cast<int64_t>(next_u64());  // [INT64_MIN, INT64_MAX]
    unsigned __int128 product = static_cast<unsigned __int128>(next_u64()) * range;
    if (static_cast<uint64_t>(product) < range) {
      const uint64_t threshold = (0 - range) % range;  // 2^64 mod range
      while (static_cast<uint64_t>(product) < threshold) {
        product = static_cast<unsigned __int128>(next_u64()) * range;
      }
    }
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + static_cast<uint64_t>(product >> 64));
  }

  // UniformRandomBitGenerator.
  static constexpr uint64_t min() { return 0; }
  static constexpr uint64_t max() { return std::numeric_limits<uint64_t>::max(); }
  uint64_t operator()() { return next_u64(); }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  static constexpr uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }

  uint64_t s_[4];
};

}  // namespace tikvbench::workload
