// send_until_done sends one request to the region holding a key until it
// is done, as the region request sender's verdicts say: relocating (the
// cache first, PD on a miss, pdRPC backoff while PD cannot say) and retrying,
// within the request's backoff budget. A guard sleeps one regionMiss every
// kFreeRelocations relocations that slept nothing (NotLeader after
// NotLeader), so TiKV and PD disagreeing for a while never makes it spin.
//
// Cancellation: a cancellation of the awaiting coroutine ends it with
// kCancelled (checked before every send and by every sleep).
// Thread safety: as the sender's; runs on the awaiting coroutine's loop.
#pragma once

#include <optional>
#include <string>

#include <asio/awaitable.hpp>
#include <asio/this_coro.hpp>
#include <fmt/format.h>

#include "rpc/backoff.h"
#include "tikv/op_trace.h"
#include "tikv/region_request_sender.h"

namespace tikvbench::tikv {

// Relocations without a backoff sleep before one regionMiss sleep.
inline constexpr int kFreeRelocations = 8;

// After a failed region lookup: counts it and backs off pdRPC. OK: look
// again; otherwise the request's end (cancelled, or the budget spent,
// naming the lookup's failure).
inline asio::awaitable<Status> back_off_lookup(RegionRequestSender& sender, rpc::Backoffer& backoff,
                                               const Status& failure) {
  if (failure.code() == StatusCode::kCancelled) co_return failure;
  sender.stats().retry(RetryReason::kPdError);
  const auto slept = co_await RegionRequestSender::sleep(backoff, rpc::BackoffKind::kPdRpc, sender.stats());
  if (slept == RegionRequestSender::Sleep::kCancelled) co_return Status(StatusCode::kCancelled, "cancelled");
  if (slept == RegionRequestSender::Sleep::kBudgetSpent) {
    co_return Status(StatusCode::kBackoffExhausted, "cannot locate the region: " + failure.message());
  }
  co_return Status();
}

// Sends the request `build(region)` makes for the region holding `key`
// (or, with `locate_end`, the region a reverse scan from `key` starts in)
// until it is done. `first`, when given, is the outcome of a first send
// already made. `trace`, when given, learns the store of every send.
template <class Build>
asio::awaitable<Result<Response>> send_until_done(RegionRequestSender& sender, std::string key, bool locate_end,
                                                  Build build, rpc::Backoffer& backoff,
                                                  std::optional<SendOutcome> first = std::nullopt,
                                                  OpTrace* trace = nullptr) {
  auto& cache = sender.cache();
  int free_relocations = kFreeRelocations;
  std::optional<SendOutcome> outcome = std::move(first);
  for (;;) {
    if (!outcome) {
      const auto cancellation = co_await asio::this_coro::cancellation_state;
      if (cancellation.cancelled() != asio::cancellation_type::none) co_return Status(StatusCode::kCancelled, "cancelled");
      // (No co_await inside ?: — g++ 12 miscompiles it.)
      Result<RegionPtr> region;
      if (auto cached = locate_end ? nullptr : cache.lookup(key)) region = std::move(cached);  // no coroutine
      else if (locate_end) region = co_await cache.locate_end(key);
      else region = co_await cache.locate(key);
      if (!region.ok()) {
        const Status next = co_await back_off_lookup(sender, backoff, region.status());
        if (!next.ok()) co_return next;
        continue;
      }
      outcome = co_await sender.send(*region, build(**region), backoff);
      if (trace != nullptr && outcome->store_id != 0) trace->last_store = outcome->store_id;
    }
    if (outcome->verdict == Verdict::kDone) co_return std::move(outcome->response);
    if (outcome->verdict == Verdict::kRelocate && --free_relocations <= 0) {
      free_relocations = kFreeRelocations;
      const auto slept = co_await RegionRequestSender::sleep(backoff, rpc::BackoffKind::kRegionMiss, sender.stats());
      if (slept == RegionRequestSender::Sleep::kCancelled) co_return Status(StatusCode::kCancelled, "cancelled");
      if (slept == RegionRequestSender::Sleep::kBudgetSpent) {
        co_return Status(StatusCode::kBackoffExhausted,
                         fmt::format("retried for {} ms without success; last: {}", backoff.total_sleep().count(),
                                     outcome->response.status().to_string()));
      }
    }
    outcome.reset();
  }
}

}  // namespace tikvbench::tikv
