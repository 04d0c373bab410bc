// send_grouped sends a multi-key request (batch get, put or delete) as
// client-go's rawkv does: `items` (keys or pairs) sorted, grouped by the
// region that holds them and, within a region, into pieces of at most
// `max_bytes` of payload (0: no limit); one request per group, all in
// parallel, each retried on its own; a group whose region changed is
// regrouped (recursively, `depth` deep, sleeping regionMiss past
// kFreeRelocations levels). `build(region, items)` makes a group's request;
// `accept(response)` takes a group's answer. The first failure of any group
// is the result. `trace`, when given, gets a part for each request that
// came to an end (its store, its outcome, when).
//
// Cancellation: a cancellation of the awaiting coroutine reaches every
// group (join_all passes it on); each ends with kCancelled.
// Thread safety: runs on the awaiting coroutine's loop; `build` and
// `accept` are called there.
#pragma once

#include <algorithm>
#include <chrono>
#include <span>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/this_coro.hpp>
#include <fmt/format.h>

#include "tikv/kv_pair.h"
#include "tikv/op_trace.h"
#include "tikv/region_request_sender.h"
#include "tikv/send_until_done.h"
#include "util/join.h"

namespace tikvbench::tikv {

inline const std::string& key_of(const std::string& key) { return key; }
inline const std::string& key_of(const KvPair& pair) { return pair.key; }
inline size_t size_of(const std::string& key) { return key.size(); }
inline size_t size_of(const KvPair& pair) { return pair.key.size() + pair.value.size(); }

template <class Item, class Build, class Accept>
asio::awaitable<Status> send_grouped(RegionRequestSender& sender, std::vector<Item> items, size_t max_bytes,
                                            Build& build, Accept& accept, rpc::Backoffer backoff, int depth,
                                            OpTrace* trace = nullptr) {
  auto& cache = sender.cache();
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return key_of(a) < key_of(b); });
  struct Group {
    RegionPtr region;
    std::vector<Item> items;
  };
  std::vector<Group> groups;
  for (size_t i = 0; i < items.size();) {
    auto region = co_await cache.locate(key_of(items[i]));
    if (!region.ok()) {
      const Status next = co_await back_off_lookup(sender, backoff, region.status());
      if (!next.ok()) co_return next;
      continue;
    }
    Group group{*region, {}};
    size_t bytes = 0;
    while (i < items.size() && (*region)->contains(key_of(items[i]))) {
      if (!group.items.empty() && max_bytes > 0 && bytes + size_of(items[i]) > max_bytes) {
        groups.push_back(Group{group.region, std::move(group.items)});
        group.items.clear();
        bytes = 0;
      }
      bytes += size_of(items[i]);
      group.items.push_back(std::move(items[i]));
      ++i;
    }
    groups.push_back(std::move(group));
  }

  std::vector<Status> statuses(groups.size());
  std::vector<asio::awaitable<void>> tasks;
  for (size_t g = 0; g < groups.size(); ++g) {
    tasks.push_back([](RegionRequestSender& sender, Group& group, size_t max_bytes, Build& build, Accept& accept,
                       rpc::Backoffer backoff, int depth, Status& status, OpTrace* trace) -> asio::awaitable<void> {
      co_await asio::this_coro::throw_if_cancelled(false);
      for (;;) {
        auto outcome = co_await sender.send(group.region, build(*group.region, std::span<const Item>(group.items)),
                                            backoff);
        if (outcome.verdict == Verdict::kDone) {
          if (trace != nullptr && outcome.store_id != 0) {
            trace->parts.push_back({outcome.store_id, outcome.response.ok(), std::chrono::steady_clock::now()});
          }
          if (outcome.response.ok()) accept(*outcome.response);
          else status = outcome.response.status();
          co_return;
        }
        if (outcome.verdict == Verdict::kRelocate) {
          if (depth > kFreeRelocations) {
            const auto slept =
                co_await RegionRequestSender::sleep(backoff, rpc::BackoffKind::kRegionMiss, sender.stats());
            if (slept == RegionRequestSender::Sleep::kCancelled) {
              status = Status(StatusCode::kCancelled, "cancelled");
              co_return;
            }
            if (slept == RegionRequestSender::Sleep::kBudgetSpent) {
              status = Status(StatusCode::kBackoffExhausted,
                              fmt::format("retried for {} ms without success; last: {}",
                                          backoff.total_sleep().count(), outcome.response.status().to_string()));
              co_return;
            }
          }
          status = co_await send_grouped(sender, std::move(group.items), max_bytes, build, accept, backoff, depth + 1,
                                         trace);
          co_return;
        }
        // kRetry: the same region again (backoff already slept).
        if (auto fresh = sender.cache().lookup(key_of(group.items.front())); fresh && fresh->id == group.region->id) {
          group.region = fresh;
        }
      }
    }(sender, groups[g], max_bytes, build, accept, backoff, depth, statuses[g], trace));
  }
  co_await join_all(std::move(tasks));
  for (auto& status : statuses) {
    if (!status.ok()) co_return status;
  }
  co_return Status();
}

}  // namespace tikvbench::tikv
