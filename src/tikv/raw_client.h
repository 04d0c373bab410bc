// RawClient is the raw key-value API over a TiKV cluster: the awaitable
// operations a workload issues. Single-key operations route by the region
// cache and retry through RegionRequestSender; multi-key operations split
// their keys by region (batch_put also into pieces of at most 16 KiB of
// payload, as client-go does), send the pieces in parallel and retry each
// piece on its own, regrouping its keys when regions changed. Scans and
// delete_range walk region by region.
//
// Every operation has its own backoff budget (default 20 s, as rawkv's) and
// never throws: failures come back as Status values and are counted in
// ClientStats by code.
//
// Cancellation: an operation awaited by a coroutine with a cancellation
// slot (co_spawn with bind_cancellation_slot; terminal cancellation) ends at
// once with kCancelled when the slot is emitted on its loop, whatever it
// waits on: a reply (the request stays with its transport, which drops the
// answer), a backoff sleep, a PD call (cancelled), or the pieces of a
// multi-key operation (each cancelled). It retries nothing after that. The
// awaiting coroutine must turn off asio's throw on a cancelled co_await
// (this_coro::throw_if_cancelled(false)), as the runner's tasks do.
//
// Thread safety: every operation may run concurrently on any event-loop
// thread; each operation's coroutine stays on the executor it started on.
// get, put and delete read the routes from a RouteMemo of their loop's own.
// Lifetime: cache, transport and stats must outlive the client and every
// operation in flight.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <asio/awaitable.hpp>

#include "rpc/event_loops.h"
#include "tikv/command.h"
#include "tikv/region_request_sender.h"
#include "tikv/route_memo.h"

namespace tikvbench::tikv {

struct KvPair {
  std::string key;
  std::string value;
  bool operator==(const KvPair&) const = default;
};

// One key's RawGet, RawPut (with value) or RawDelete, as RawClient sends it.
struct RawKeyOp {
  Request::CmdCase cmd;
  std::string key;  // TiKV's key
  std::string value;
};

struct RawClientOptions {
  std::chrono::milliseconds backoff_budget{20'000};
  size_t batch_put_bytes = 16 * 1024;  // payload per RawBatchPut piece
  uint64_t seed = 1;                   // backoff jitter
};

class RawClient {
 public:
  // Operations run on `loops` (each keeps its own RouteMemo); an operation
  // awaited elsewhere takes the slow path. `loops` must outlive the client.
  RawClient(RegionRequestSender& sender, rpc::EventLoops& loops, RawClientOptions options = {});

  // The value, or nullopt when the key does not exist.
  asio::awaitable<Result<std::optional<std::string>>> get(std::string key);
  // The pairs that exist, in no particular order.
  asio::awaitable<Result<std::vector<KvPair>>> batch_get(std::vector<std::string> keys);
  asio::awaitable<Status> put(std::string key, std::string value);
  asio::awaitable<Status> batch_put(std::vector<KvPair> pairs);
  asio::awaitable<Status> del(std::string key);
  asio::awaitable<Status> batch_delete(std::vector<std::string> keys);
  // Up to `limit` pairs in [start, end) (empty end: no bound), ascending; or,
  // with `reverse`, in [end, start) descending. An empty start with
  // `reverse` means the keyspace's end in API v2, and is refused
  // (kInvalidArgument) in API v1, where TiKV reads it as the smallest key.
  asio::awaitable<Result<std::vector<KvPair>>> scan(std::string start, std::string end, uint32_t limit,
                                                     bool key_only = false, bool reverse = false);
  // Deletes every key in [start, end); empty end: to the end of the keyspace.
  asio::awaitable<Status> delete_range(std::string start, std::string end);

  ClientStats& stats() { return sender_.stats(); }

 private:
  // Sends a request built for the region holding `key` (or, with
  // `locate_end`, the region a reverse scan from `key` starts in) until it
  // is done. `build(region)` makes the request for that region.
  // `first`, when given, is the outcome of a first send already made.
  template <class Build>
  asio::awaitable<Result<Response>> execute(std::string key, bool locate_end, Build build, rpc::Backoffer& backoff,
                                            std::optional<SendOutcome> first = std::nullopt);
  // Sends `op` until it is done, and completes with what `convert` (a
  // callable T(Result<RawKeyReply>), run on the awaiting loop) makes of the
  // answer. On the fast path (region, leader and its address cached) this
  // is one awaitable frame down to the stream: the request is encoded by
  // hand (RawKeyCommand), its answer decoded by hand on gRPC's thread, and
  // the caller resumed directly when it is settled. An answer that is not
  // (a region error, a failure) goes on in go_on(), as does all of `op` when
  // the route is not in the loop's RouteMemo.
  template <class T, class Convert>
  asio::awaitable<T> single(RawKeyOp op, Convert convert);
  // single()'s start, for a `handler` of Result<RawKeyReply>.
  template <class Handler>
  void start_single(Handler handler, RawKeyOp op);
  // The memo of the loop that runs `executor`, when this thread runs it;
  // else null.
  RouteMemo* memo_for(const asio::any_io_executor& executor);
  // Completes `handler` with what go_on() comes to, run as a coroutine on
  // the handler's executor that the handler waits for.
  template <class Handler>
  void go_on_then(Handler handler, RawKeyOp op, RegionPtr region, Result<Response> first);
  // Judges a fast try's unsettled answer `first` from `region` (none when
  // null), then retries as execute() does.
  asio::awaitable<Result<RawKeyReply>> go_on(RawKeyOp op, RegionPtr region, Result<Response> first);
  // single()'s completion on the fast path; owns `op` while it is in flight.
  template <class Handler>
  struct SingleContinuation;
  // Sends one multi-key request per region group of `keys`, in parallel;
  // `build(region, keys)` makes a group's request, `accept(response)` takes
  // a group's answer. Regroups keys whose region changed.
  template <class Build, class Accept>
  asio::awaitable<Status> for_each_region(std::vector<std::string> keys, Build build, Accept accept,
                                          rpc::Backoffer backoff);
  rpc::Backoffer new_backoffer();
  const KeyCodec& codec() const { return sender_.options().codec; }
  Status finish(Status status);

  RegionRequestSender& sender_;
  RegionCache& cache_;
  rpc::EventLoops& loops_;
  std::vector<std::unique_ptr<RouteMemo>> memos_;  // one per loop, by index; constant
  const RawClientOptions options_;
  std::atomic<uint64_t> seed_;
};

}  // namespace tikvbench::tikv
