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

asio::awaitable<RegionRequestSender::Sleep> RegionRequestSender::sleep(rpc::Backoffer& backoff, rpc::BackoffKind kind,
                                                                       ClientStats& stats) {
  // A timer started after the cancellation was emitted would not hear it.
  const auto state = co_await asio::this_coro::cancellation_state;
  if (state.cancelled() != asio::cancellation_type::none) co_return Sleep::kCancelled;
  const auto delay = backoff.next(kind);
  if (!delay) {
    stats.event("backoff_exhausted", 0, fmt::format("{} backoff: the budget is spent", rpc::backoff_config(kind).name));
    co_return Sleep::kBudgetSpent;
  }
  if (delay->count() > 0) {
    asio::steady_timer timer(co_await asio::this_coro::executor, *delay);
    stats.backoff_started(kind);
    const auto [ec] = co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    stats.backoff_ended(kind);
    if (ec == asio::error::operation_aborted) co_return Sleep::kCancelled;
  }
  co_return Sleep::kSlept;
}

asio::awaitable<SendOutcome> RegionRequestSender::back_off(rpc::BackoffKind kind, Verdict verdict, rpc::Backoffer& backoff,
                                                           Status cause) {
  // (Awaited into a local: g++ 12 miscompiles co_await in a condition.)
  const Sleep slept = co_await sleep(backoff, kind, stats_);
  if (slept == Sleep::kSlept) co_return again(verdict, cause);
  if (slept == Sleep::kCancelled) co_return done(Status(StatusCode::kCancelled, "cancelled"));
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
  // A call started after the cancellation was emitted would not hear it.
  const auto cancellation = co_await asio::this_coro::cancellation_state;
  if (cancellation.cancelled() != asio::cancellation_type::none) {
    co_return done(Status(StatusCode::kCancelled, "cancelled"));
  }
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
  const uint64_t store = leader.store_id();
  auto result = co_await transport_.send(store, std::move(*address), std::move(request));
  auto outcome = co_await judge(*region, std::move(result), backoff);
  outcome.store_id = store;
  co_return outcome;
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
  const uint64_t store = region.leader_peer().store_id();
  if (!result.ok()) {
    if (result.status().code() == StatusCode::kCancelled) co_return done(result.status());
    stats_.retry(result.status().code() == StatusCode::kTimeout ? RetryReason::kTimeout : RetryReason::kSendFailed,
                 store);
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

asio::awaitable<SendOutcome> RegionRequestSender::retry_at_once(const CachedRegion& region, rpc::Backoffer& backoff,
                                                                Status cause) {
  // client-go's replica selector retries the leader at once up to 10
  // times, then gives the region up (invalidate) and rawkv backs off
  // regionMiss and reloads it.
  if (backoff.immediate_retry()) co_return again(Verdict::kRetry, cause);
  cache_.invalidate(region);
  co_return co_await back_off(rpc::BackoffKind::kRegionMiss, Verdict::kRelocate, backoff, cause);
}

asio::awaitable<SendOutcome> RegionRequestSender::on_region_error(const CachedRegion& region,
                                                                  const errorpb::Error& error, rpc::Backoffer& backoff) {
  using rpc::BackoffKind;
  const Status cause(StatusCode::kRegionError, error.message().empty() ? error.ShortDebugString() : error.message());
  const uint64_t store = region.leader_peer().store_id();
  // In client-go's order (region_request.go, onRegionError).
  if (error.has_undetermined_result()) {
    // The write may or may not have applied: rawkv backs off and sends again.
    stats_.retry(RetryReason::kUndeterminedResult, store);
    co_return co_await back_off(BackoffKind::kRegionMiss, Verdict::kRelocate, backoff, cause);
  }
  if (error.has_not_leader()) {
    stats_.retry(RetryReason::kNotLeader, store);
    const auto& named = error.not_leader().leader();
    // A leader on a store we cannot reach is not followed: wait for the
    // election, as for no leader at all.
    const bool follow = error.not_leader().has_leader() && named.store_id() != 0 &&
                        (liveness_ == nullptr || liveness_->reachable(named.store_id()));
    if (follow) {
      if (named.store_id() != store) stats_.event("leader_move", named.store_id(), fmt::format("from store {}", store));
      cache_.update_leader(region, named);
      co_return again(Verdict::kRelocate, cause);  // re-reads the cache: the new leader, or a reload
    }
    co_return co_await back_off(BackoffKind::kRegionScheduling, Verdict::kRetry, backoff, cause);
  }
  if (error.has_disk_full()) {
    stats_.retry(RetryReason::kDiskFull, store);
    co_return co_await back_off(BackoffKind::kDiskFull, Verdict::kRetry, backoff, cause);
  }
  if (error.has_recoveryinprogress() || error.has_is_witness()) {
    const bool recovery = error.has_recoveryinprogress();
    stats_.retry(recovery ? RetryReason::kRecoveryInProgress : RetryReason::kIsWitness, store);
    cache_.invalidate(region);
    auto outcome = co_await back_off(recovery ? BackoffKind::kRecoveryInProgress : BackoffKind::kIsWitness,
                                     Verdict::kRelocate, backoff, cause);
    if (outcome.verdict == Verdict::kDone) co_return outcome;
    co_return co_await back_off(BackoffKind::kRegionMiss, Verdict::kRelocate, backoff, cause);
  }
  if (error.has_flashbackinprogress() || error.has_flashbacknotprepared() || error.has_raft_entry_too_large() ||
      error.message().find("invalid max_ts update") != std::string::npos) {
    co_return done(cause);  // no retry can succeed
  }
  if (error.has_region_not_found() || error.has_key_not_in_region() || error.has_mismatch_peer_id()) {
    stats_.retry(error.has_region_not_found()    ? RetryReason::kRegionNotFound
                 : error.has_key_not_in_region() ? RetryReason::kKeyNotInRegion
                                                 : RetryReason::kMismatchPeerId, store);
    cache_.invalidate(region);
    co_return co_await back_off(BackoffKind::kRegionMiss, Verdict::kRelocate, backoff, cause);
  }
  if (error.has_epoch_not_match()) {
    stats_.retry(RetryReason::kEpochNotMatch, store);
    stats_.event("split_or_merge", store, "EpochNotMatch: the region was split or merged");
    if (error.epoch_not_match().current_regions_size() == 0) {
      cache_.invalidate(region);
      co_return co_await back_off(BackoffKind::kRegionMiss, Verdict::kRelocate, backoff, cause);
    }
    // TiKV spells boundaries as region keys (memcomparable in API v2).
    auto current = error.epoch_not_match().current_regions();
    for (auto& meta : current) {
      meta.set_start_key(options_.codec.decode_region_key(meta.start_key()));
      meta.set_end_key(options_.codec.decode_region_key(meta.end_key()));
    }
    // False: the store is behind us; the same region is asked again.
    const bool installed = cache_.on_epoch_not_match(region, current);
    co_return co_await back_off(BackoffKind::kRegionMiss, installed ? Verdict::kRelocate : Verdict::kRetry, backoff,
                                cause);
  }
  if (error.has_bucket_version_not_match()) {
    stats_.retry(RetryReason::kBucketVersionNotMatch, store);  // we keep no buckets: nothing to update
    co_return co_await back_off(BackoffKind::kRegionMiss, Verdict::kRelocate, backoff, cause);
  }
  if (error.has_server_is_busy()) {
    stats_.retry(RetryReason::kServerIsBusy, store);
    stats_.event("server_busy", store, error.server_is_busy().reason());
    co_return co_await back_off(BackoffKind::kServerBusy, Verdict::kRetry, backoff, cause);
  }
  if (error.has_stale_command() || error.has_data_is_not_ready()) {
    stats_.retry(error.has_stale_command() ? RetryReason::kStaleCommand : RetryReason::kDataIsNotReady, store);
    co_return co_await retry_at_once(region, backoff, cause);
  }
  if (error.has_store_not_match()) {
    stats_.retry(RetryReason::kStoreNotMatch, store);
    cache_.invalidate_store(region.leader_peer().store_id());
    cache_.invalidate(region);
    co_return co_await back_off(BackoffKind::kRegionMiss, Verdict::kRelocate, backoff, cause);
  }
  if (error.has_max_timestamp_not_synced()) {
    stats_.retry(RetryReason::kMaxTimestampNotSynced, store);
    co_return co_await back_off(BackoffKind::kMaxTsNotSynced, Verdict::kRetry, backoff, cause);
  }
  if (error.has_region_not_initialized()) {
    stats_.retry(RetryReason::kRegionNotInitialized, store);
    co_return co_await back_off(BackoffKind::kRegionNotInitialized, Verdict::kRetry, backoff, cause);
  }
  if (error.has_read_index_not_ready() || error.has_proposal_in_merging_mode()) {
    stats_.retry(error.has_read_index_not_ready() ? RetryReason::kReadIndexNotReady
                                                  : RetryReason::kProposalInMergingMode, store);
    co_return co_await back_off(BackoffKind::kRegionScheduling, Verdict::kRetry, backoff, cause);
  }
  stats_.retry(RetryReason::kOtherRegionError, store);
  co_return co_await retry_at_once(region, backoff, cause);
}

}  // namespace tikvbench::tikv
