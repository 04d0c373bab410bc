// RawHandler serves TiKV's raw key-value requests for one mock store from the
// shared RegionTable, answering every region error as TiKV would:
//   StoreNotMatch  - Context.peer names another store;
//   RegionNotFound - the region is unknown or has no peer on this store;
//   NotLeader      - this store's peer is a follower (leader attached);
//   EpochNotMatch  - Context.region_epoch.version differs (current regions
//                    attached; conf_ver is not compared, as for TiKV's
//                    normal requests);
//   KeyNotInRegion - a key lies outside the region.
// Checks run in TiKV's order: store, region, leader, epoch, key.
//
// Thread safety: every method may be called from any thread at once. Each
// request holds only its region's lock, never across a suspension.
// Lifetime: `table` and the callbacks' targets must outlive the handler.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "kvrpcpb.pb.h"
#include "mock/region_table.h"

namespace tikvbench::mock {

struct RawHandlerOptions {
  uint64_t cluster_id = 0;
  // V1 (keys stored as they come) or V2 (keys must carry the raw keyspace
  // prefix 'r'; regions and data are keyed by their memcomparable encoding,
  // as a TiKV with storage.api-version = 2 keys them).
  kvrpcpb::APIVersion api_version = kvrpcpb::V1;
  // A region holding more keys than this asks for a split (0: never).
  size_t split_keys = 0;
  // Called, without locks held, when a region grows past split_keys. The
  // callee splits it later (asynchronously, like TiKV's split checker).
  std::function<void(uint64_t region_id)> request_split;
};

class RawHandler {
 public:
  RawHandler(RegionTable& table, RawHandlerOptions options);
  RawHandler(const RawHandler&) = delete;
  RawHandler& operator=(const RawHandler&) = delete;

  // Each fills `response` for `request` arriving at store `store_id`. Region
  // errors go to response->region_error; other failures (a column family
  // other than default, an unsupported API version, a bad range) to the
  // response's `error` string where it has one. Never throws.
  void get(uint64_t store_id, const kvrpcpb::RawGetRequest& request, kvrpcpb::RawGetResponse* response);
  void batch_get(uint64_t store_id, const kvrpcpb::RawBatchGetRequest& request,
                 kvrpcpb::RawBatchGetResponse* response);
  void put(uint64_t store_id, const kvrpcpb::RawPutRequest& request, kvrpcpb::RawPutResponse* response);
  void batch_put(uint64_t store_id, const kvrpcpb::RawBatchPutRequest& request,
                 kvrpcpb::RawBatchPutResponse* response);
  void del(uint64_t store_id, const kvrpcpb::RawDeleteRequest& request, kvrpcpb::RawDeleteResponse* response);
  void batch_delete(uint64_t store_id, const kvrpcpb::RawBatchDeleteRequest& request,
                    kvrpcpb::RawBatchDeleteResponse* response);
  void scan(uint64_t store_id, const kvrpcpb::RawScanRequest& request, kvrpcpb::RawScanResponse* response);
  void delete_range(uint64_t store_id, const kvrpcpb::RawDeleteRangeRequest& request,
                    kvrpcpb::RawDeleteRangeResponse* response);

  // A request key as the regions and data are keyed, and back.
  std::string storage_key(std::string_view key) const;
  std::string user_key(std::string_view stored) const;

  // True when a non-zero cluster id in `context` names another cluster; the
  // caller fails the RPC (or the whole BatchCommands stream) with
  // INVALID_ARGUMENT, as TiKV does.
  bool cluster_id_mismatch(const kvrpcpb::Context& context) const {
    return context.cluster_id() != 0 && context.cluster_id() != options_.cluster_id;
  }

 private:
  class Admission;
  // Why a request cannot be served at all in this API version, or empty.
  std::string version_error(const kvrpcpb::Context& context) const;
  // The same for a key (API v2: it must be in the raw keyspace), or empty.
  std::string key_mode_error(std::string_view key) const;

  RegionTable& table_;
  const RawHandlerOptions options_;
};

}  // namespace tikvbench::mock
