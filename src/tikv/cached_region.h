// CachedRegion: the client's copy of one region as PD or TiKV described
// it, with the part of a request's context that names it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "metapb.pb.h"

namespace tikvbench::tikv {

// One cached region. Immutable once shared: a leader change makes a new one.
struct CachedRegion {
  uint64_t id = 0;
  metapb::RegionEpoch epoch;
  std::string start_key;
  std::string end_key;  // empty: the end of the keyspace
  std::vector<metapb::Peer> peers;
  size_t leader = 0;  // index into peers
  // The region's part of a request's kvrpcpb::Context, serialized:
  // region_id, region_epoch and the leader as peer. The sender appends the
  // client-wide part (protobuf merges concatenated pieces).
  std::string context;

  const metapb::Peer& leader_peer() const { return peers[leader]; }
  bool contains(std::string_view key) const {
    return key >= start_key && (end_key.empty() || key < end_key);
  }
  // Whether `key` is this region's end, or inside it: the region a reverse
  // scan from `key` starts in.
  bool contains_end(std::string_view key) const {
    return (key.empty() ? end_key.empty() : key > start_key) &&
           (end_key.empty() || key <= end_key);
  }
};

using RegionPtr = std::shared_ptr<const CachedRegion>;

}  // namespace tikvbench::tikv
