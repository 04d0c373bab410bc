#include "tikv/codec_pd_client.h"

namespace tikvbench::tikv {

void CodecPdClient::decode(metapb::Region& region) const {
  region.set_start_key(codec_.decode_region_key(region.start_key()));
  region.set_end_key(codec_.decode_region_key(region.end_key()));
}

Result<pd::PdRegion> CodecPdClient::decoded(Result<pd::PdRegion> region) const {
  if (region.ok()) decode(region->meta);
  return region;
}

asio::awaitable<Result<pd::PdRegion>> CodecPdClient::get_region(std::string key) {
  co_return decoded(co_await inner_.get_region(codec_.encode_region_key(key)));
}

asio::awaitable<Result<pd::PdRegion>> CodecPdClient::get_prev_region(std::string key) {
  co_return decoded(co_await inner_.get_prev_region(codec_.encode_region_key(key)));
}

asio::awaitable<Result<pd::PdRegion>> CodecPdClient::get_region_by_id(uint64_t region_id) {
  co_return decoded(co_await inner_.get_region_by_id(region_id));
}

asio::awaitable<Result<std::vector<pd::PdRegion>>> CodecPdClient::scan_regions(std::string start, std::string end,
                                                                               int limit) {
  auto regions = co_await inner_.scan_regions(codec_.encode_region_key(start), codec_.encode_region_key(end), limit);
  if (regions.ok()) {
    for (auto& region : *regions) decode(region.meta);
  }
  co_return regions;
}

asio::awaitable<Result<metapb::Store>> CodecPdClient::get_store(uint64_t store_id) {
  co_return co_await inner_.get_store(store_id);
}

}  // namespace tikvbench::tikv
