// CodecPdClient puts a KeyCodec between the region cache and PD: keys going
// to PD are encoded as region keys, and the regions coming back have their
// boundaries decoded, so the cache sees TiKV keys in every API version (as
// client-go's CodecPDClient does). With API v1 it passes everything through.
//
// Thread safety: as the wrapped client. Lifetime: `inner` outlives it.
#pragma once

#include "pd/pd_client.h"
#include "tikv/key_codec.h"

namespace tikvbench::tikv {

class CodecPdClient final : public pd::PdClient {
 public:
  CodecPdClient(pd::PdClient& inner, KeyCodec codec) : inner_(inner), codec_(std::move(codec)) {}

  uint64_t cluster_id() const override { return inner_.cluster_id(); }
  asio::awaitable<Result<pd::PdRegion>> get_region(std::string key) override;
  asio::awaitable<Result<pd::PdRegion>> get_prev_region(std::string key) override;
  asio::awaitable<Result<pd::PdRegion>> get_region_by_id(uint64_t region_id) override;
  asio::awaitable<Result<std::vector<pd::PdRegion>>> scan_regions(std::string start, std::string end,
                                                                   int limit) override;
  asio::awaitable<Result<metapb::Store>> get_store(uint64_t store_id) override;

  // Replaces the codec (an API v2 keyspace found by name after PD answered).
  // REQUIRES: no request made yet.
  void set_codec(KeyCodec codec) { codec_ = std::move(codec); }
  const KeyCodec& codec() const { return codec_; }

  // Decodes a region's boundaries in place (also for TiKV's EpochNotMatch).
  void decode(metapb::Region& region) const;

 private:
  Result<pd::PdRegion> decoded(Result<pd::PdRegion> region) const;

  pd::PdClient& inner_;
  KeyCodec codec_;  // Constant once requests are made.
};

}  // namespace tikvbench::tikv
