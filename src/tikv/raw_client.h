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
// Every operation takes an optional OpTrace (op_trace.h), filled in with
// the stores its requests went to before it completes.
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
// The pieces: single-key operations take SingleKeyPath (the fast path and
// its retries), multi-key ones send_grouped() (region_groups.h), scans and
// delete_range send_until_done() region by region.
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
#include <vector>

#include <asio/awaitable.hpp>

#include "rpc/backoff.h"
#include "rpc/event_loops.h"
#include "tikv/kv_pair.h"
#include "tikv/op_trace.h"
#include "tikv/region_request_sender.h"

namespace tikvbench::tikv {

class SingleKeyPath;

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
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // The value, or nullopt when the key does not exist.
  asio::awaitable<Result<std::optional<std::string>>> get(std::string key, OpTrace* trace = nullptr);
  // The pairs that exist, in no particular order.
  asio::awaitable<Result<std::vector<KvPair>>> batch_get(std::vector<std::string> keys, OpTrace* trace = nullptr);
  asio::awaitable<Status> put(std::string key, std::string value, OpTrace* trace = nullptr);
  asio::awaitable<Status> batch_put(std::vector<KvPair> pairs, OpTrace* trace = nullptr);
  asio::awaitable<Status> del(std::string key, OpTrace* trace = nullptr);
  asio::awaitable<Status> batch_delete(std::vector<std::string> keys, OpTrace* trace = nullptr);
  // Up to `limit` pairs in [start, end) (empty end: no bound), ascending; or,
  // with `reverse`, in [end, start) descending. An empty start with
  // `reverse` means the keyspace's end in API v2, and is refused
  // (kInvalidArgument) in API v1, where TiKV reads it as the smallest key.
  asio::awaitable<Result<std::vector<KvPair>>> scan(std::string start, std::string end, uint32_t limit,
                                                     bool key_only = false, bool reverse = false,
                                                     OpTrace* trace = nullptr);
  // Deletes every key in [start, end); empty end: to the end of the keyspace.
  asio::awaitable<Status> delete_range(std::string start, std::string end);

  ClientStats& stats() { return sender_.stats(); }

 private:
  const KeyCodec& codec() const { return sender_.options().codec; }
  // Counts a final error by its code; returns it.
  Status finish(Status status);

  RegionRequestSender& sender_;
  const RawClientOptions options_;
  rpc::BackofferFactory backoffs_;
  std::unique_ptr<SingleKeyPath> single_;
};

}  // namespace tikvbench::tikv
