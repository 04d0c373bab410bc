// A fake PD for client tests: a fixed set of regions (each with peers on
// stores 1 to 3, led from store 1) that tests edit, with the calls counted,
// PD's going down and GetRegion held back on demand.
//
// Thread safety: one test thread and the coroutines it runs.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "pd/pd_client.h"

namespace tikvbench::test {

// A region [start, end) with peers on stores 1, 2 and 3.
inline metapb::Region region(uint64_t id, std::string start, std::string end, uint64_t version, uint64_t conf_ver = 1) {
  metapb::Region meta;
  meta.set_id(id);
  meta.set_start_key(std::move(start));
  meta.set_end_key(std::move(end));
  meta.mutable_region_epoch()->set_version(version);
  meta.mutable_region_epoch()->set_conf_ver(conf_ver);
  for (uint64_t store = 1; store <= 3; ++store) {
    auto* peer = meta.add_peers();
    peer->set_id(id * 10 + store);
    peer->set_store_id(store);
  }
  return meta;
}

inline metapb::Peer peer_on(const metapb::Region& meta, uint64_t store) {
  for (const auto& peer : meta.peers()) {
    if (peer.store_id() == store) return peer;
  }
  return {};
}

// PD with a fixed set of regions, counting the calls.
class FakePd final : public pd::PdClient {
 public:
  std::map<std::string, metapb::Region> regions;  // by start key
  int get_region_calls = 0;
  bool down = false;
  asio::steady_timer* hold = nullptr;  // when set, GetRegion answers once it is cancelled
  int get_store_calls = 0;

  uint64_t cluster_id() const override { return 1; }
  asio::awaitable<Result<pd::PdRegion>> get_region(std::string key) override {
    ++get_region_calls;
    if (hold != nullptr) co_await hold->async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    if (down) co_return Status(StatusCode::kUnavailable, "down");
    auto it = regions.upper_bound(key);
    --it;
    co_return pd::PdRegion{it->second, peer_on(it->second, 1), {}};
  }
  asio::awaitable<Result<pd::PdRegion>> get_prev_region(std::string key) override {
    auto it = regions.upper_bound(key);
    --it;
    if (it == regions.begin()) co_return Status(StatusCode::kRegionError, "none");
    --it;
    co_return pd::PdRegion{it->second, peer_on(it->second, 1), {}};
  }
  asio::awaitable<Result<pd::PdRegion>> get_region_by_id(uint64_t) override {
    co_return Status(StatusCode::kInternal, "unused");
  }
  asio::awaitable<Result<std::vector<pd::PdRegion>>> scan_regions(std::string start, std::string end,
                                                                   int limit) override {
    std::vector<pd::PdRegion> out;
    for (const auto& [key, meta] : regions) {
      if (!meta.end_key().empty() && meta.end_key() <= start) continue;
      if (!end.empty() && key >= end) break;
      out.push_back({meta, peer_on(meta, 1), {}});
      if (limit > 0 && static_cast<int>(out.size()) >= limit) break;
    }
    co_return out;
  }
  asio::awaitable<Result<metapb::Store>> get_store(uint64_t id) override {
    ++get_store_calls;
    metapb::Store store;
    store.set_id(id);
    store.set_address("store" + std::to_string(id));
    co_return store;
  }
};

}  // namespace tikvbench::test
