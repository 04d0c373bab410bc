// BatchTransport sends requests over BatchCommands streams, as client-go's
// batch client does: `conns` channels per store (each its own TCP
// connection), one stream per channel. Requests for a store are collected
// in a queue per store, as client-go's batchConn collects them (one per
// store and event loop here, so that a message's replies wake one loop):
// the first request queued posts a flush to its loop, which runs after the
// handlers already ready there, so requests issued together go out
// together without any timer. The flush hands everything queued, in
// messages of up to `max_batch` requests, to the store's channels
// round-robin, skipping channels that are waiting to reconnect. A broken
// stream fails only the requests it held (the caller retries them); its
// channel opens a new stream no sooner than its reconnect backoff
// (tikvRPC's: 100 ms doubling to 2 s). When every channel of a store is
// waiting, requests fail with kUnavailable.
//
// The pieces: StoreConnection (a connection, its stream and its reconnect
// backoff), RequestQueue (a loop's requests for a store until their flush),
// DeadlineSweeper (per-request timeouts, every few milliseconds on the first
// loop) and StreamRegistry (every stream until gRPC releases it).
//
// Cancellation: a request whose caller is cancelled completes at once with
// kCancelled (pending_call.h); the request itself stays queued or in its
// stream, and its answer, failure or deadline later only frees it.
//
// Thread safety: send() and start() may be called from any event-loop
// thread.
// Lifetime: the destructor cancels every stream and stops the sweeper; it
// blocks until the sweeper and every posted flush have run, so it must not
// run on an event-loop thread, and the loops must still be running.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <asio/any_io_executor.hpp>

#include "rpc/channel_factory.h"
#include "rpc/event_loops.h"
#include "tikv/batch_stream.h"
#include "tikv/deadline_sweeper.h"
#include "tikv/loop_snapshot.h"
#include "tikv/request_queue.h"
#include "tikv/store_connection.h"
#include "tikv/store_table.h"
#include "tikv/store_transport.h"
#include "tikv/stream_registry.h"

namespace tikvbench::tikv {

class BatchTransport final : public StoreTransport {
 public:
  // Requests may come from any of `loops`, which must outlive the transport.
  BatchTransport(const rpc::ChannelFactory& channels, TransportOptions options, rpc::EventLoops& loops);
  ~BatchTransport() override;
  BatchTransport(const BatchTransport&) = delete;
  BatchTransport& operator=(const BatchTransport&) = delete;

  asio::awaitable<Result<Response>> send(uint64_t store_id, std::string address, Request request) override;
  void start(uint64_t store_id, const std::string& address, const Command& command,
             std::unique_ptr<PendingCall> call) override;

  // What the streams have carried so far, every stream opened included.
  struct Totals {
    uint64_t messages = 0;  // BatchCommands messages written
    uint64_t requests = 0;  // requests they carried
  };
  Totals totals() const;
  // Requests written per message so far, averaged over every stream opened.
  double mean_batch_size() const;
  // What servers did wrong on the streams so far (see BatchStream).
  const StreamFaults& faults() const { return registry_.faults(); }
  // Streams opened so far (reconnects included).
  uint64_t streams_opened() const { return registry_.opened(); }

 private:
  struct Store {
    explicit Store(size_t loops) : queues(loops) {}
    std::string address;  // Constant.
    std::vector<std::unique_ptr<StoreConnection>> connections;  // Constant.
    std::atomic<size_t> next{0};    // The connection the next message tries first.
    std::vector<RequestQueue> queues;  // One per loop; constant size.
  };

  // Each loop's own references to the stores it sends to, so that a request
  // takes neither the table's lock nor a reference to a shared Store: both
  // are atomic writes to lines every loop writes. Dropped when the table's
  // generation moves on.
  struct alignas(64) LoopStores {
    LoopSnapshot<std::unordered_map<uint64_t, std::shared_ptr<Store>>> by_id;
  };

  std::shared_ptr<Store> store_for(uint64_t store_id, const std::string& address);
  // store_for() through loop `loop`'s LoopStores. The reference is valid
  // until the next call for that loop. REQUIRES: on that loop's thread.
  const std::shared_ptr<Store>& store_on(size_t loop, uint64_t store_id, const std::string& address);
  // Sends what `queue` of `store` holds. Runs on a loop, posted by start().
  void flush(Store& store, RequestQueue& queue, uint64_t store_id);
  // Hands `batch` to the store's next channel that takes it; fails its
  // calls when none does.
  void send_batch(Store& store, uint64_t store_id, BatchStream::Batch& batch,
                  std::chrono::steady_clock::time_point deadline);
  // Fails every call of `batch` with `status`.
  static void fail_all(BatchStream::Batch& batch, const Status& status);
  std::vector<std::shared_ptr<BatchStream>> all_streams() const;

  const rpc::ChannelFactory& channels_;
  const TransportOptions options_;
  rpc::EventLoops& loops_;
  std::vector<LoopStores> loop_stores_;  // Constant size: one per loop.

  // Every stream opened, until gRPC releases it; before the stores, whose
  // connections hand it their streams.
  StreamRegistry registry_;
  StoreTable<Store> stores_;  // Lock order: the table's lock, then a connection's.

  std::atomic<bool> stopping_{false};  // read by every request: kept apart from the counter below
  // Posted and not yet run; the destructor waits for 0.
  alignas(64) std::atomic<uint64_t> flushes_posted_{0};
  // Fails requests past their deadline; last, so it stops first.
  std::unique_ptr<DeadlineSweeper> sweeper_;
};

}  // namespace tikvbench::tikv
