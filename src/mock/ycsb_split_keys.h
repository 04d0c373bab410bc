// Split keys that cut go-ycsb's key space into regions of equal shares, for
// a mock cluster that starts as a large one (mock-cluster --regions).
//
// go-ycsb names record n "<prefix><Hash64(n)>" (insertorder=hashed, its
// default; the raw driver's prefix is "usertable:user"). FNV-1a mixes the
// low bytes of n weakly into the hash's top bits, so where the keys of
// records 0..R-1 fall depends on R: the split keys are quantiles of exactly
// those keys, for R = `records` (the workload's recordcount), as TiKV would
// have split a cluster holding them. Keys of other shapes (ordered inserts,
// other tables) fall where they sort.
//
// Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tikvbench::mock {

// `regions - 1` strictly increasing split keys, all beginning with
// `prefix`, that share the keys of records 0..records-1 evenly; none when
// regions <= 1. REQUIRES: records >= regions.
std::vector<std::string> ycsb_split_keys(size_t regions, size_t records, std::string_view prefix);

}  // namespace tikvbench::mock
