#include "mock/chaos_runner.h"

#include <asio/bind_cancellation_slot.hpp>
#include <asio/co_spawn.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

#include "mock/mock_cluster.h"

namespace tikvbench::mock {

ChaosRunner::ChaosRunner(MockCluster& cluster, const ChaosSpec& spec, asio::io_context& control_io)
    : cluster_(cluster), spec_(spec), io_(control_io) {
  if (spec_.split.count()) spawn(spec_.split, [this] { return split_one(); });
  if (spec_.transfer_leader.count()) spawn(spec_.transfer_leader, [this] { return transfer_one(); });
  if (spec_.restart_store.count()) spawn(spec_.restart_store, [this] { return restart_one(); });
  if (spec_.pd_leader.count()) spawn(spec_.pd_leader, [this] { return move_pd_leader(); });
}

ChaosRunner::~ChaosRunner() {
  // Cancellation slots are not thread-safe: emit on the io thread. The post
  // itself counts as running, so the wait below also waits for it.
  {
    std::lock_guard lock(mu_);
    ++running_;
  }
  asio::post(io_, [this] {
    for (auto& signal : signals_) signal->emit(asio::cancellation_type::terminal);
    std::lock_guard lock(mu_);
    --running_;
    changed_.notify_all();
  });
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return running_ == 0; });
}

void ChaosRunner::spawn(std::chrono::nanoseconds period, std::function<asio::awaitable<void>()> action) {
  auto& signal = *signals_.emplace_back(std::make_unique<asio::cancellation_signal>());
  {
    std::lock_guard lock(mu_);
    ++running_;
  }
  asio::co_spawn(io_, every(period, std::move(action)),
                 asio::bind_cancellation_slot(signal.slot(), [this](std::exception_ptr) {
                   // Ending by cancellation is the normal way out.
                   std::lock_guard lock(mu_);
                   --running_;
                   changed_.notify_all();
                 }));
}

asio::awaitable<void> ChaosRunner::every(std::chrono::nanoseconds period,
                                         std::function<asio::awaitable<void>()> action) {
  asio::steady_timer timer(io_);
  for (;;) {
    timer.expires_after(period);
    co_await timer.async_wait(asio::use_awaitable);
    co_await action();
  }
}

ChaosStats ChaosRunner::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

bool ChaosRunner::wait_until(const std::function<bool(const ChaosStats&)>& done,
                             std::chrono::nanoseconds timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return done(stats_); });
}

void ChaosRunner::record(uint64_t ChaosStats::*counter) {
  {
    std::lock_guard lock(mu_);
    ++(stats_.*counter);
  }
  changed_.notify_all();
}

asio::awaitable<void> ChaosRunner::split_one() {
  const auto regions = cluster_.regions().all();
  // Try a few regions: some may hold too few keys to split at a median.
  for (int attempt = 0; attempt < 4 && !regions.empty(); ++attempt) {
    if (cluster_.split(regions[cluster_.random_index(regions.size())].meta.id()).empty()) {
      record(&ChaosStats::splits);
      break;
    }
  }
  co_return;
}

asio::awaitable<void> ChaosRunner::transfer_one() {
  const auto regions = cluster_.regions().all();
  if (regions.empty()) co_return;
  if (cluster_.transfer_leader(regions[cluster_.random_index(regions.size())].meta.id()).empty()) {
    record(&ChaosStats::leader_transfers);
  }
}

asio::awaitable<void> ChaosRunner::restart_one() {
  std::vector<uint64_t> running;
  for (uint64_t id : cluster_.store_ids()) {
    if (cluster_.store_running(id)) running.push_back(id);
  }
  if (running.empty()) co_return;
  const uint64_t victim = running[cluster_.random_index(running.size())];
  cluster_.stop_store(victim);
  asio::steady_timer timer(io_, spec_.downtime);
  // Started again even when cancelled mid-downtime: chaos leaves no store down.
  auto [ec] = co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
  if (cluster_.start_store(victim).empty()) record(&ChaosStats::store_restarts);
  if (ec) throw std::system_error(ec);
}

asio::awaitable<void> ChaosRunner::move_pd_leader() {
  if (cluster_.move_pd_leader().empty()) record(&ChaosStats::pd_leader_moves);
  co_return;
}

}  // namespace tikvbench::mock
