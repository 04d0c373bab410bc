#include "tikv/store_liveness.h"

#include <asio/bind_cancellation_slot.hpp>
#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "health.grpc.pb.h"
#include "rpc/unary_call.h"

namespace tikvbench::tikv {
namespace {

constexpr auto kHealthCallAwaitable = asio::experimental::as_tuple(asio::use_awaitable);

}  // namespace

StoreLiveness::StoreLiveness(const rpc::ChannelFactory& channels, asio::any_io_executor executor, ClientStats& stats,
                             std::chrono::nanoseconds interval)
    : channels_(channels), executor_(std::move(executor)), stats_(stats), interval_(interval) {}

StoreLiveness::~StoreLiveness() {
  std::unique_lock lock(mu_);
  stopping_ = true;
  if (running_ == 0) return;
  // Cancellation slots are not thread-safe: emit on the executor.
  asio::post(executor_, [this] {
    std::lock_guard inner(mu_);
    for (auto& [store_id, signal] : signals_) signal->emit(asio::cancellation_type::terminal);
  });
  checkers_done_.wait(lock, [&] { return running_ == 0; });
}

bool StoreLiveness::reachable(uint64_t store_id) const {
  if (unreachable_count_.load(std::memory_order_relaxed) == 0) return true;
  std::lock_guard lock(mu_);
  return unreachable_.count(store_id) == 0;
}

void StoreLiveness::mark_unreachable(uint64_t store_id, const std::string& address) {
  std::lock_guard lock(mu_);
  if (stopping_ || !unreachable_.insert(store_id).second) return;
  unreachable_count_.fetch_add(1, std::memory_order_relaxed);
  ++running_;
  stats_.event("store_down", store_id, address);
  auto& signal = signals_[store_id];
  signal = std::make_unique<asio::cancellation_signal>();
  asio::co_spawn(executor_, check_until_serving(address),
                 asio::bind_cancellation_slot(signal->slot(), [this, store_id, address](std::exception_ptr, bool serving) {
                   finished(store_id, address, serving);
                 }));
}

void StoreLiveness::finished(uint64_t store_id, const std::string& address, bool serving) {
  std::lock_guard lock(mu_);
  if (serving) stats_.event("store_up", store_id, address);
  // Cancelled at shutdown or found serving: either way nobody waits on it.
  if (unreachable_.erase(store_id) > 0) unreachable_count_.fetch_sub(1, std::memory_order_relaxed);
  if (serving) recoveries_.fetch_add(1, std::memory_order_relaxed);
  --running_;
  checkers_done_.notify_all();
}

asio::awaitable<bool> StoreLiveness::check_until_serving(std::string address) {
  auto stub = grpc::health::v1::Health::NewStub(channels_.make(address));
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    grpc::health::v1::HealthCheckRequest request;  // "": the server as a whole
    auto [status, reply] = co_await rpc::async_unary<grpc::health::v1::HealthCheckResponse>(
        [&](grpc::ClientContext* ctx, grpc::health::v1::HealthCheckResponse* out, auto done) {
          stub->async()->Check(ctx, &request, out, std::move(done));
        },
        interval_, kHealthCallAwaitable);
    checks_.fetch_add(1, std::memory_order_relaxed);
    if (status.ok() && reply.status() == grpc::health::v1::HealthCheckResponse::SERVING) co_return true;
    timer.expires_after(interval_);
    co_await timer.async_wait(asio::use_awaitable);  // throws when cancelled
  }
}

}  // namespace tikvbench::tikv
