#include "tikv/region_request_sender.h"

#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "tikv/command.h"
#include "tikv/pending_call.h"
#include "tikv/request_fields.h"

namespace tikvbench::tikv {
namespace {

SendOutcome done(Result<Response> response) { return {Verdict::kDone, std::move(response)}; }
SendOutcome again(Verdict verdict, Status cause) { return {verdict, std::move(cause)}; }

}  // namespace

RegionRequestSender::RegionRequestSender(RegionCache& cache, StoreTransport& transport, ClientStats& stats,
                                         SenderOptions options, StoreLiveness* liveness)
    : cache_(cache), transport_(transport), stats_(stats), options_(options), liveness_(liveness) {
  kvrpcpb::Context context;
  context.set_cluster_id(options_.cluster_id);
  if (options_.codec.v2()) {
    context.set_api_version(kvrpcpb::V2);
    context.set_keyspace_id(options_.codec.keyspace_id());
  }
  client_context_ = context.SerializeAsString();
}

asio::awaitable<bool> RegionRequestSender::sleep(rpc::Backoffer& backoff, rpc::BackoffKind kind, ClientStats& stats) {
  const auto delay = backoff.next(kind);
  if (!delay) co_return false;
  if (delay->count() > 0) {
    asio::steady_timer timer(co_await asio::this_coro::executor, *delay);
    stats.backoff_started(kind);
    co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    stats.backoff_ended(kind);
  }
  co_return true;
}

asio::awaitable<SendOutcome> RegionRequestSender::back_off(rpc::BackoffKind kind, Verdict verdict, rpc::Backoffer& backoff,
                                                           Status cause) {
  // (Awaited into a local: g++ 12 miscompiles co_await in a condition.)
  const bool slept = co_await sleep(backoff, kind, stats_);
  if (slept) co_return again(verdict, cause);
  co_return done(Status(StatusCode::kBackoffExhausted,
                        fmt::format("retried for {} ms without success; last: {}", backoff.total_sleep().count(),
                                    cause.to_string())));
}

void RegionRequestSender::fill_context(const CachedRegion& region, Request& request) const {
  if (auto* context = context_of(request)) {
    context->set_region_id(region.id);
    *context->mutable_region_epoch() = region.epoch;
    *context->mutable_peer() = region.leader_peer();
    context->set_cluster_id(options_.cluster_id);
    if (options_.codec.v2()) {
      context->set_api_version(kvrpcpb::V2);
      context->set_keyspace_id(options_.codec.keyspace_id());
    }
  }
}

bool RegionRequestSender::other_peer_reachable(const CachedRegion& region) const {
  for (size_t i = 0; i < region.peers.size(); ++i) {
    if (i != region.leader && liveness_->reachable(region.peers[i].store_id())) return true;
  }
  return false;
}

asio::awaitable<SendOutcome> RegionRequestSender::send(RegionPtr region, Request request, rpc::Backoffer& backoff) {
  const auto& leader = region->leader_peer();
  if (!leader_reachable(*region) && other_peer_reachable(*region)) {
    // The leader's store is down: ask the next peer, which names the leader
    // once the election has chosen one. Nothing was sent, so no backoff.
    cache_.rotate_leader(*region);
    co_return again(Verdict::kRelocate, Status(StatusCode::kUnavailable,
                                               fmt::format("store {} is unreachable", leader.store_id())));
  }
  // The address is almost always cached: skip the coroutine then.
  Result<std::string> address;
  if (auto cached = cache_.cached_store_address(leader.store_id())) address = std::move(*cached);
  else address = co_await cache_.store_address(leader.store_id());
  if (!address.ok()) {
    stats_.retry(RetryReason::kPdError);
    co_return co_await back_off(rpc::BackoffKind::kPdRpc, Verdict::kRetry, backoff, address.status());
  }
  fill_context(*region, request);
  auto result = co_await transport_.send(leader.store_id(), std::move(*address), std::move(request));
  co_return co_await judge(*region, std::move(result), backoff);
}

void RegionRequestSender::start(const CachedRegion& region, const std::string& address, Request::CmdCase cmd,
                                std::string_view key, std::string_view value, std::unique_ptr<PendingCall> call) {
  const RawKeyCommand command(cmd, region.context, client_context_, key, value);
  transport_.start(region.leader_peer().store_id(), address, command, std::move(call));
}

bool RegionRequestSender::settled(const Result<Response>& result) {
  return result.ok() && region_error_of(*result) == nullptr && other_error_of(*result).empty();
}

asio::awaitable<SendOutcome> RegionRequestSender::judge(const CachedRegion& region, Result<Response> result,
                                                        rpc::Backoffer& backoff) {
  if (!result.ok()) {
    if (result.status().code() == StatusCode::kCancelled) co_return done(result.status());
    stats_.retry(result.status().code() == StatusCode::kTimeout ? RetryReason::kTimeout : RetryReason::kSendFailed);
    if (liveness_ != nullptr && result.status().code() == StatusCode::kUnavailable) {
      const uint64_t store_id = region.leader_peer().store_id();
      if (auto address = cache_.cached_store_address(store_id)) liveness_->mark_unreachable(store_id, *address);
    }
    // The leader may be gone: ask the next peer, which redirects us.
    cache_.rotate_leader(region);
    co_return co_await back_off(rpc::BackoffKind::kTikvRpc, Verdict::kRelocate, backoff, result.status());
  }
  if (const auto* error = region_error_of(*result)) {
    co_return co_await on_region_error(region, *error, backoff);
  }
  if (auto error = other_error_of(*result); !error.empty()) {
    co_return done(Status(StatusCode::kServerError, std::move(error)));
  }
  co_return done(std::move(result));
}

asio::awaitable<SendOutcome> RegionRequestSender::on_region_error(const CachedRegion& region,
                                                                  const errorpb::Error& error, rpc::Backoffer& backoff) {
  const Status cause(StatusCode::kRegionError, error.message().empty() ? error.ShortDebugString() : error.message());
  if (error.has_not_leader()) {
    stats_.retry(RetryReason::kNotLeader);
    const auto& named = error.not_leader().leader();
    // A leader on a store we cannot reach is not followed: wait for the
    // election, as for no leader at all.
    const bool follow = error.not_leader().has_leader() && named.store_id() != 0 &&
                        (liveness_ == nullptr || liveness_->reachable(named.store_id()));
    if (follow) {
      cache_.update_leader(region, named);
      co_return again(Verdict::kRelocate, cause);  // re-reads the cache: the new leader, or a reload
    }
    co_return co_await back_off(rpc::BackoffKind::kRegionScheduling, Verdict::kRetry, backoff, cause);
  }
  if (error.has_epoch_not_match()) {
    stats_.retry(RetryReason::kEpochNotMatch);
    if (error.epoch_not_match().current_regions_size() == 0) {
      cache_.invalidate(region);
      co_return again(Verdict::kRelocate, cause);
    }
    // TiKV spells boundaries as region keys (memcomparable in API v2).
    auto current = error.epoch_not_match().current_regions();
    for (auto& meta : current) {
      meta.set_start_key(options_.codec.decode_region_key(meta.start_key()));
      meta.set_end_key(options_.codec.decode_region_key(meta.end_key()));
    }
    if (!cache_.on_epoch_not_match(region, current)) {
      co_return co_await back_off(rpc::BackoffKind::kRegionMiss, Verdict::kRetry, backoff, cause);
    }
    co_return again(Verdict::kRelocate, cause);
  }
  if (error.has_region_not_found()) {
    stats_.retry(RetryReason::kRegionNotFound);
    cache_.invalidate(region);
    co_return again(Verdict::kRelocate, cause);
  }
  if (error.has_key_not_in_region()) {
    stats_.retry(RetryReason::kKeyNotInRegion);
    cache_.invalidate(region);
    co_return again(Verdict::kRelocate, cause);
  }
  if (error.has_store_not_match()) {
    stats_.retry(RetryReason::kStoreNotMatch);
    cache_.invalidate_store(region.leader_peer().store_id());
    cache_.invalidate(region);
    co_return again(Verdict::kRelocate, cause);
  }
  if (error.has_server_is_busy()) {
    stats_.retry(RetryReason::kServerIsBusy);
    co_return co_await back_off(rpc::BackoffKind::kServerBusy, Verdict::kRetry, backoff, cause);
  }
  if (error.has_stale_command()) {
    stats_.retry(RetryReason::kStaleCommand);
    co_return co_await back_off(rpc::BackoffKind::kStaleCommand, Verdict::kRetry, backoff, cause);
  }
  stats_.retry(RetryReason::kOtherRegionError);
  cache_.invalidate(region);
  co_return co_await back_off(rpc::BackoffKind::kRegionMiss, Verdict::kRelocate, backoff, cause);
}

}  // namespace tikvbench::tikv
