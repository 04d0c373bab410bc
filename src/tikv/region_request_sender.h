// RegionRequestSender sends one request to the leader of one cached region
// and decides, from what comes back, what the caller does next, as
// client-go's RegionRequestSender and region error handling do:
//
//   region error           cache                          backoff                then
//   UndeterminedResult     -                              regionMiss             relocate (sends again)
//   NotLeader + leader     move the leader                -                      relocate
//   NotLeader, no leader   -                              regionScheduling       retry
//   DiskFull               -                              tikvDiskFull           retry
//   RecoveryInProgress     drop the region                regionRecoveryInProgress, regionMiss  relocate
//   IsWitness              drop the region                isWitness, regionMiss  relocate
//   FlashbackInProgress,
//   FlashbackNotPrepared,
//   RaftEntryTooLarge,
//   "invalid max_ts update" -                             -                      fail
//   RegionNotFound,
//   KeyNotInRegion,
//   MismatchPeerId         drop the region                regionMiss             relocate
//   EpochNotMatch          install current_regions, or    regionMiss             relocate (TiKV behind
//                          drop the region without them                          us: retry)
//   BucketVersionNotMatch  -                              regionMiss             relocate
//   ServerIsBusy           -                              tikvServerBusy         retry
//   StaleCommand,
//   DataIsNotReady         -                              - (the 11th: drop the region, regionMiss, relocate)  retry
//   StoreNotMatch          drop the region and the store  regionMiss             relocate
//   MaxTimestampNotSynced  -                              maxTsNotSynced         retry
//   RegionNotInitialized   -                              regionNotInitialized   retry
//   ReadIndexNotReady,
//   ProposalInMergingMode  -                              regionScheduling       retry
//   any other              as StaleCommand
//   send failed/timeout    try the next peer next time    tikvRPC                relocate
//
// docs/client.md holds the table with the client-go function each row
// follows, and where we differ.
//
// With a StoreLiveness, as client-go's replica selector: a send that could
// not reach a store marks it unreachable (health-checked until it serves
// again); a request whose cached leader is on an unreachable store goes to
// the next peer (no backoff: nothing was sent); and a NotLeader that names a
// leader on an unreachable store is not followed back there: the request
// backs off regionScheduling and asks again, until the election names a
// leader that is up.
//
// Every retry is counted by reason and by the store that asked for it. When
// the request's backoff budget is spent, the send fails with
// kBackoffExhausted naming the last error. What the answers say about the
// cluster goes to the stats' event log: a NotLeader naming a new leader
// ("leader_move", at the new leader's store), EpochNotMatch ("split_or_merge"),
// ServerIsBusy ("server_busy", with TiKV's reason), a spent budget
// ("backoff_exhausted", with the backoff's kind).
//
// Besides send(), the pieces of it for RawClient's fast path: start() sends
// once without a coroutine, settled() tells whether the answer needs
// judging, and judge() is the decision above for an answer that came back
// that way.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <asio/awaitable.hpp>

#include "rpc/backoff.h"
#include "tikv/client_stats.h"
#include "tikv/key_codec.h"
#include "tikv/region_cache.h"
#include "tikv/store_liveness.h"
#include "tikv/store_transport.h"

namespace tikvbench::tikv {

struct SenderOptions {
  uint64_t cluster_id = 0;
  KeyCodec codec;  // API version and keyspace; region boundaries decode with it
};

// What the caller does after a send.
enum class Verdict {
  kDone,      // `response` holds the store's answer (or a final error)
  kRetry,     // send to the same region again (it may have a new leader)
  kRelocate,  // locate the region(s) again; multi-key requests regroup
};

struct SendOutcome {
  Verdict verdict;
  // kDone: the answer or the final error. Otherwise: the error that asked
  // for the retry, for the message if the retries run out.
  Result<Response> response;
  // The store the request went to (its region's leader then); 0 when
  // nothing was sent.
  uint64_t store_id = 0;
};

class RegionRequestSender {
 public:
  // `liveness` may be null: then stores are never routed around.
  RegionRequestSender(RegionCache& cache, StoreTransport& transport, ClientStats& stats, SenderOptions options,
                      StoreLiveness* liveness = nullptr);

  // False when the region's cached leader is on a store known to be
  // unreachable (the fast path then takes send()). Never blocks.
  bool leader_reachable(const CachedRegion& region) const {
    return liveness_ == nullptr || liveness_->reachable(region.leader_peer().store_id());
  }

  // Fills `request`'s Context for `region` and sends it to the leader.
  // Sleeps any backoff before returning kRetry or kRelocate. Suspends.
  asio::awaitable<SendOutcome> send(RegionPtr region, Request request, rpc::Backoffer& backoff);

  // The fast path's single try: starts a RawKeyCommand of `cmd` (kRawGet,
  // kRawPut or kRawDelete) for `key` (and `value`) to `region`'s leader at
  // `address` (cached by the caller), completing `call` with whatever comes
  // back. Nothing is retried and nothing judged. Never suspends; `key` and
  // `value` are read before it returns.
  void start(const CachedRegion& region, const std::string& address, Request::CmdCase cmd, std::string_view key,
             std::string_view value, std::unique_ptr<PendingCall> call);
  // True when `result` is final as it stands: an answer with neither a
  // region error nor another error. Anything else goes through judge().
  static bool settled(const Result<Response>& result);
  // What send() decides once `result` came back from `region`'s leader:
  // updates the cache, counts the retry and sleeps its backoff. The outcome
  // names no store (the caller knows where it sent). Suspends.
  asio::awaitable<SendOutcome> judge(const CachedRegion& region, Result<Response> result, rpc::Backoffer& backoff);

  // What a backoff sleep came to.
  enum class Sleep { kSlept, kBudgetSpent, kCancelled };
  // Sleeps the next backoff of `kind`. A cancellation of the awaiting
  // coroutine (before or during the sleep) ends it at once: kCancelled.
  // Suspends.
  static asio::awaitable<Sleep> sleep(rpc::Backoffer& backoff, rpc::BackoffKind kind, ClientStats& stats);

  const SenderOptions& options() const { return options_; }
  RegionCache& cache() { return cache_; }
  ClientStats& stats() { return stats_; }

 private:
  // The verdict for a region error; updates the cache and sleeps backoff.
  asio::awaitable<SendOutcome> on_region_error(const CachedRegion& region, const errorpb::Error& error,
                                               rpc::Backoffer& backoff);
  void fill_context(const CachedRegion& region, Request& request) const;
  // Whether a peer of `region` other than its leader is on a reachable store.
  bool other_peer_reachable(const CachedRegion& region) const;
  asio::awaitable<SendOutcome> back_off(rpc::BackoffKind kind, Verdict verdict, rpc::Backoffer& backoff, Status cause);
  // Retries at once while the request's immediate retries last; then drops
  // the region and backs off regionMiss.
  asio::awaitable<SendOutcome> retry_at_once(const CachedRegion& region, rpc::Backoffer& backoff, Status cause);

  RegionCache& cache_;
  StoreTransport& transport_;
  ClientStats& stats_;
  const SenderOptions options_;
  StoreLiveness* const liveness_;
  // The client-wide part of every Context (cluster id, API version,
  // keyspace), serialized. Constant after construction.
  std::string client_context_;
};

}  // namespace tikvbench::tikv
