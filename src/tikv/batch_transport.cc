#include "tikv/batch_transport.h"

#include <algorithm>

#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>
#include <fmt/format.h>

namespace tikvbench::tikv {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kSweepEvery = std::chrono::milliseconds(10);

}  // namespace

BatchTransport::BatchTransport(const rpc::ChannelFactory& channels, TransportOptions options, rpc::EventLoops& loops)
    : channels_(channels), options_(options), loops_(loops), loop_stores_(loops.size()) {
  sweeper_ = std::make_unique<DeadlineSweeper>(loops.executor(0), kSweepEvery, [this](Clock::time_point now) {
    for (auto& stream : all_streams()) stream->sweep(now);
  });
}

BatchTransport::~BatchTransport() {
  stopping_.store(true);
  sweeper_->stop_and_wait();
  // A flush posted before stopping_ may still be queued on a loop.
  for (uint64_t posted = flushes_posted_.load(); posted != 0; posted = flushes_posted_.load()) {
    flushes_posted_.wait(posted);
  }
  // gRPC must have let go of every stream before the channels and stubs go
  // with the stores; the last reference to a channel then drops here.
  registry_.close_all_and_wait();
}

std::vector<std::shared_ptr<BatchStream>> BatchTransport::all_streams() const {
  std::vector<std::shared_ptr<BatchStream>> streams;
  stores_.for_each([&](const Store& store) {
    for (auto& connection : store.connections) {
      if (auto stream = connection->current()) streams.push_back(std::move(stream));
    }
  });
  return streams;
}

std::shared_ptr<BatchTransport::Store> BatchTransport::store_for(uint64_t store_id, const std::string& address) {
  return stores_.find_or_make(
      store_id, address,
      [&] {
        auto fresh = std::make_shared<Store>(loops_.size());
        fresh->address = address;
        for (size_t i = 0; i < options_.conns; ++i) {
          fresh->connections.push_back(std::make_unique<StoreConnection>(channels_, registry_, address,
                                                                         static_cast<int>(i), options_.max_batch));
        }
        return fresh;
      },
      [&](const Store& moved) {
        // The store moved: its old streams end as their calls finish.
        for (auto& connection : moved.connections) connection->retire();
      });
}

const std::shared_ptr<BatchTransport::Store>& BatchTransport::store_on(size_t loop, uint64_t store_id,
                                                                      const std::string& address) {
  // The generation is read before the table is: what store_for() returns is
  // at least this new.
  auto& store = loop_stores_[loop].by_id.at(stores_.generation())[store_id];
  if (!store || store->address != address) store = store_for(store_id, address);
  return store;
}

asio::awaitable<Result<Response>> BatchTransport::send(uint64_t store_id, std::string address, Request request) {
  // Not a coroutine itself: one frame less per request on the hot path. The
  // start runs when the caller awaits, so it owns what it needs.
  return async_pending_call(
      [this, store_id, address = std::move(address), request = std::move(request)](
          std::unique_ptr<PendingCall> call) mutable {
        start(store_id, address, MessageCommand(request), std::move(call));
      },
      asio::use_awaitable);
}

void BatchTransport::start(uint64_t store_id, const std::string& address, const Command& command,
                           std::unique_ptr<PendingCall> call) {
  if (stopping_.load(std::memory_order_relaxed)) {
    PendingCall::complete(std::move(call), Status(StatusCode::kCancelled, "client closing"));
    return;
  }
  // On the thread of the call's loop the loop's own references serve;
  // elsewhere a reference of the call's own. The queue is the call's loop's
  // (the first loop's when its executor is none of the loops).
  const size_t loop = loops_.index_of(call->loop);
  const bool known_loop = loop < loops_.size();
  const bool on_loop = known_loop && loops_.runs_here(loop);
  std::shared_ptr<Store> own;
  const std::shared_ptr<Store>& store =
      on_loop ? store_on(loop, store_id, address) : (own = store_for(store_id, address));
  auto& queue = store->queues[known_loop ? loop : 0];
  if (auto post_to = queue.add(command, std::move(call), options_.max_batch)) {
    flushes_posted_.fetch_add(1, std::memory_order_relaxed);
    asio::post(*post_to, [this, store, &queue, store_id] {
      flush(*store, queue, store_id);
      if (flushes_posted_.fetch_sub(1, std::memory_order_acq_rel) == 1) flushes_posted_.notify_all();
    });
  }
}

void BatchTransport::flush(Store& store, RequestQueue& queue, uint64_t store_id) {
  auto batches = queue.take();
  // The timeout counts from here: the requests were queued in this loop
  // round, moments ago.
  const auto deadline = Clock::now() + options_.timeout;
  for (auto& batch : batches) {
    if (stopping_.load(std::memory_order_relaxed)) {
      fail_all(batch, Status(StatusCode::kCancelled, "client closing"));
      continue;
    }
    send_batch(store, store_id, batch, deadline);
  }
}

void BatchTransport::send_batch(Store& store, uint64_t store_id, BatchStream::Batch& batch,
                                Clock::time_point deadline) {
  // Round-robin per message, as client-go's getClientAndSend: each message
  // tries the next channel, and the one after while a channel is waiting
  // to reconnect.
  const size_t conns = store.connections.size();
  for (size_t tried = 0; tried < conns; ++tried) {
    const size_t index = store.next.fetch_add(1, std::memory_order_relaxed) % conns;
    auto stream = store.connections[index]->stream();
    if (stream && stream->send(batch, deadline)) return;
  }
  fail_all(batch, Status(StatusCode::kUnavailable,
                         fmt::format("store {} at {}: every connection is reconnecting", store_id, store.address)));
}

void BatchTransport::fail_all(BatchStream::Batch& batch, const Status& status) {
  for (auto& call : batch.calls) call->set_result(status);
  PendingCall::complete_all(std::move(batch.calls));  // a post per loop, not per call
  batch.calls.clear();
}

BatchTransport::Totals BatchTransport::totals() const {
  Totals totals{registry_.retired_messages(), registry_.retired_requests()};
  for (auto& stream : all_streams()) {
    totals.messages += stream->messages_sent();
    totals.requests += stream->requests_sent();
  }
  return totals;
}

double BatchTransport::mean_batch_size() const {
  const Totals sent = totals();
  return sent.messages == 0 ? 0.0 : static_cast<double>(sent.requests) / static_cast<double>(sent.messages);
}

}  // namespace tikvbench::tikv
