#include "tikv/batch_transport.h"

#include <algorithm>

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <fmt/format.h>

namespace tikvbench::tikv {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kSweepEvery = std::chrono::milliseconds(10);

std::chrono::milliseconds reconnect_delay(int failures) {
  // tikvRPC's base and cap, without jitter.
  return std::chrono::milliseconds(std::min<int64_t>(2000, int64_t{100} << std::min(failures, 5)));
}

}  // namespace

BatchTransport::BatchTransport(const rpc::ChannelFactory& channels, TransportOptions options, rpc::EventLoops& loops)
    : channels_(channels), options_(options), loops_(loops), executor_(loops.executor(0)) {
  loop_stores_ = std::vector<LoopStores>(loops.size());
  asio::co_spawn(executor_, sweep_loop(), [this](std::exception_ptr) { sweeper_done_.set_value(); });
}

BatchTransport::~BatchTransport() {
  stopping_.store(true);
  sweeper_done_.get_future().wait();
  // A flush posted before stopping_ may still be queued on a loop.
  for (uint64_t posted = flushes_posted_.load(); posted != 0; posted = flushes_posted_.load()) {
    flushes_posted_.wait(posted);
  }
  // gRPC must have let go of every stream before the channels and stubs go
  // with the members; the last reference to a channel then drops here.
  // opened_ holds every stream gRPC has not released, the current ones too.
  std::lock_guard lock(opened_mu_);
  for (auto& opened : opened_) {
    if (auto stream = opened.stream.lock()) stream->close();
  }
  for (auto& opened : opened_) opened.released->wait();
}

void BatchTransport::remember(const std::shared_ptr<BatchStream>& stream) {
  std::lock_guard lock(opened_mu_);
  // Drop the streams gRPC has released, now and then, so reconnects do not pile up.
  if (opened_.size() >= 64 && (opened_.size() & (opened_.size() - 1)) == 0) {
    std::erase_if(opened_, [](const Opened& opened) { return opened.released->try_wait(); });
  }
  opened_.push_back({stream, stream->released()});
}

void BatchTransport::retire(const BatchStream& stream) {
  retired_messages_.fetch_add(stream.messages_sent(), std::memory_order_relaxed);
  retired_requests_.fetch_add(stream.requests_sent(), std::memory_order_relaxed);
}

std::vector<std::shared_ptr<BatchStream>> BatchTransport::all_streams() const {
  std::vector<std::shared_ptr<BatchStream>> streams;
  stores_.for_each([&](const Store& store) {
    for (auto& channel : store.channels) {
      std::lock_guard channel_lock(channel->mu);
      if (channel->stream) streams.push_back(channel->stream);
    }
  });
  return streams;
}

asio::awaitable<void> BatchTransport::sweep_loop() {
  asio::steady_timer timer(executor_);
  while (!stopping_.load()) {
    timer.expires_after(kSweepEvery);
    co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    const auto now = Clock::now();
    for (auto& stream : all_streams()) stream->sweep(now);
  }
}

std::shared_ptr<BatchTransport::Store> BatchTransport::store_for(uint64_t store_id, const std::string& address) {
  return stores_.find_or_make(
      store_id, address,
      [&] {
        auto fresh = std::make_shared<Store>(loops_.size());
        fresh->address = address;
        for (size_t i = 0; i < options_.conns; ++i) fresh->channels.push_back(std::make_unique<Channel>());
        return fresh;
      },
      [&](const Store& moved) {
        // The store moved: its old streams end as their calls finish.
        for (auto& channel : moved.channels) {
          std::lock_guard channel_lock(channel->mu);
          if (channel->stream) retire(*channel->stream);
        }
      });
}

const std::shared_ptr<BatchTransport::Store>& BatchTransport::store_on(size_t loop, uint64_t store_id,
                                                                      const std::string& address) {
  auto& stores = loop_stores_[loop];
  // Read before the table is: what store_for() returns is at least this new.
  const uint64_t generation = stores_.generation();
  if (generation != stores.generation) {
    stores.by_id.clear();
    stores.generation = generation;
  }
  auto& store = stores.by_id[store_id];
  if (!store || store->address != address) store = store_for(store_id, address);
  return store;
}

std::shared_ptr<BatchStream> BatchTransport::stream_for(Channel& channel, const std::string& address, int index) {
  std::lock_guard lock(channel.mu);
  if (channel.stream && !channel.stream->broken()) {
    channel.failures = 0;
    return channel.stream;
  }
  const auto now = Clock::now();
  if (channel.stream) {
    // Broken: wait out the reconnect backoff from when we noticed.
    if (channel.retry_after == Clock::time_point()) {
      channel.retry_after = now + reconnect_delay(channel.failures++);
    }
    if (now < channel.retry_after) return nullptr;
    retire(*channel.stream);
    channel.stream.reset();
  }
  if (!channel.stub) {
    channel.channel = channels_.make(address, index + 1);
    channel.stub = std::make_unique<grpc::GenericStub>(channel.channel);
  }
  channel.retry_after = Clock::time_point();
  channel.stream = BatchStream::open(*channel.stub, options_.max_batch, &faults_);
  remember(channel.stream);
  streams_opened_.fetch_add(1, std::memory_order_relaxed);
  return channel.stream;
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
  // Only the request that posts the flush needs its (type-erased, costly to
  // copy) executor; it is taken while the call is surely alive.
  bool post_flush = false;
  asio::any_io_executor executor;
  {
    std::lock_guard lock(queue.mu);
    post_flush = !queue.flush_posted.exchange(true, std::memory_order_acq_rel);
    if (post_flush) executor = call->executor();
    auto& batches = queue.batches;
    if (batches.empty() || batches.back().calls.size() >= options_.max_batch) batches.emplace_back();
    batches.back().add(command, std::move(call));
  }
  if (post_flush) {
    flushes_posted_.fetch_add(1, std::memory_order_relaxed);
    asio::post(executor, [this, store, &queue, store_id] {
      queue.flush_posted.store(false, std::memory_order_release);
      flush(*store, queue, store_id);
      if (flushes_posted_.fetch_sub(1, std::memory_order_acq_rel) == 1) flushes_posted_.notify_all();
    });
  }
}

void BatchTransport::flush(Store& store, Queue& queue, uint64_t store_id) {
  std::vector<BatchStream::Batch> batches;
  {
    std::lock_guard lock(queue.mu);
    batches.swap(queue.batches);
  }
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
  const size_t conns = store.channels.size();
  for (size_t tried = 0; tried < conns; ++tried) {
    const size_t index = store.next.fetch_add(1, std::memory_order_relaxed) % conns;
    auto stream = stream_for(*store.channels[index], store.address, static_cast<int>(index));
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
  Totals totals{retired_messages_.load(std::memory_order_relaxed), retired_requests_.load(std::memory_order_relaxed)};
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
