// PdClient is what the client needs from PD: regions by key, by id and by
// range, and store addresses. An interface, so the region cache can be tested
// against a fake; GrpcPdClient is the real one.
//
// Every method suspends; each may be called from any event-loop thread.
// Failures come back as Status values: kUnavailable when PD cannot be
// reached, kRegionError when PD has no region for the key (client-go backs
// off pdRPC and retries both).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>

#include "metapb.pb.h"
#include "util/status.h"

namespace tikvbench::pd {

// A region as PD reports it.
struct PdRegion {
  metapb::Region meta;
  metapb::Peer leader;  // store_id 0 when PD knows no leader
  std::vector<metapb::Peer> down_peers;
};

class PdClient {
 public:
  virtual ~PdClient() = default;

  virtual uint64_t cluster_id() const = 0;
  virtual asio::awaitable<Result<PdRegion>> get_region(std::string key) = 0;
  // The region ending where the region containing `key` starts.
  virtual asio::awaitable<Result<PdRegion>> get_prev_region(std::string key) = 0;
  virtual asio::awaitable<Result<PdRegion>> get_region_by_id(uint64_t region_id) = 0;
  // Regions overlapping [start, end) in key order; limit <= 0: all.
  virtual asio::awaitable<Result<std::vector<PdRegion>>> scan_regions(std::string start, std::string end,
                                                                       int limit) = 0;
  virtual asio::awaitable<Result<metapb::Store>> get_store(uint64_t store_id) = 0;
};

}  // namespace tikvbench::pd
