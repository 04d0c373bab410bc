// FaultInjector decides, for each request a mock store serves, whether it is
// answered ServerIsBusy, how long its reply is held back and whether a
// write is dropped after being acknowledged. Latency is fixed
// or drawn from a distribution, for every store or for one store (a slow
// store among fast ones); a rate cap (RateCap) adds a queueing delay once
// the cluster is asked for more than it may serve. All settings can change
// while stores serve.
//
// Spec grammar (parse_latency): "0" | "2ms" (fixed) | "uniform:1ms-5ms" |
// "exp:2ms" (exponential with that mean) | "normal:5ms,1ms" (mean, stddev;
// clamped at zero).
//
// Thread safety: every method may be called from any thread; draws are
// lock-free (a counter-based generator), so stores do not contend.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mock/rate_cap.h"

namespace tikvbench::mock {

struct LatencySpec {
  enum class Kind { kNone, kFixed, kUniform, kExponential, kNormal };
  Kind kind = Kind::kNone;
  std::chrono::nanoseconds a{0};  // fixed value, uniform low, mean
  std::chrono::nanoseconds b{0};  // uniform high, normal stddev
  std::string text = "0";         // as given, for display
};

// Throws std::invalid_argument naming `text` when it does not parse.
LatencySpec parse_latency(std::string_view text);

class FaultInjector {
 public:
  explicit FaultInjector(uint64_t seed);
  FaultInjector(const FaultInjector&) = delete;
  FaultInjector& operator=(const FaultInjector&) = delete;

  void set_busy_fraction(double fraction);  // REQUIRES: 0 <= fraction <= 1
  // Every store's latency: forgets the stores' own settings.
  void set_latency(const LatencySpec& spec);
  // One store's latency, in place of every store's ("0": none there).
  // REQUIRES: 1 <= store_id <= kMaxStores.
  void set_store_latency(uint64_t store_id, const LatencySpec& spec);
  double busy_fraction() const;
  LatencySpec latency() const;  // every store's
  LatencySpec latency(uint64_t store_id) const;  // what store_id replies with

  static constexpr uint64_t kMaxStores = 64;

  // The cluster's rate cap: every store's requests take turns in one queue.
  RateCap& rate_cap() { return rate_cap_; }
  const RateCap& rate_cap() const { return rate_cap_; }

  // True when this request should be refused with ServerIsBusy.
  bool draw_busy();
  // How long store `store_id` holds this reply back; zero when no latency
  // is set for it.
  std::chrono::nanoseconds draw_latency(uint64_t store_id);
  // The next `count` single-key writes (RawPut) are acknowledged without
  // being stored: lost writes, for testing --verify.
  void drop_writes(uint64_t count) { drop_writes_.store(count, std::memory_order_relaxed); }
  // BatchCommands faults: the next `count` requests get no reply at all,
  // or a reply under a request id the client never sent; the next `count`
  // response messages go out as bytes that do not decode (alternately
  // garbage and a valid message cut short); reset_streams() ends every
  // open stream with UNAVAILABLE at its next message, truncate_streams()
  // ends each with OK there, leaving what it owed unanswered.
  void lose_replies(uint64_t count) { lose_replies_.store(count, std::memory_order_relaxed); }
  void misaddress_replies(uint64_t count) { misaddress_replies_.store(count, std::memory_order_relaxed); }
  void garble_replies(uint64_t count) { garble_replies_.store(count, std::memory_order_relaxed); }
  void reset_streams() { reset_epoch_.fetch_add(1, std::memory_order_relaxed); }
  void truncate_streams() { truncate_epoch_.fetch_add(1, std::memory_order_relaxed); }
  bool take_lost_reply() { return take(lose_replies_); }
  bool take_misaddressed_reply() { return take(misaddress_replies_); }
  // 0: send this message as it is; else which garbled message this is
  // since start, 1 for the first (so that kinds of garbage can take turns).
  uint64_t take_garbled_reply() {
    return take(garble_replies_) ? garbled_.fetch_add(1, std::memory_order_relaxed) + 1 : 0;
  }
  uint64_t reset_epoch() const { return reset_epoch_.load(std::memory_order_relaxed); }
  uint64_t truncate_epoch() const { return truncate_epoch_.load(std::memory_order_relaxed); }
  // True when this write is one to drop (and counts it).
  bool take_dropped_write() { return take(drop_writes_); }

 private:
  double next_unit();  // uniform in [0, 1)

  RateCap rate_cap_;
  std::atomic<uint64_t> counter_;
  std::atomic<uint64_t> busy_threshold_{0};  // busy when a draw < this (of 2^64)
  std::atomic<bool> has_latency_{false};  // any store has some
  std::atomic<uint64_t> drop_writes_{0};
  std::atomic<uint64_t> lose_replies_{0};
  std::atomic<uint64_t> misaddress_replies_{0};
  std::atomic<uint64_t> garble_replies_{0};
  std::atomic<uint64_t> garbled_{0};
  std::atomic<uint64_t> reset_epoch_{0};
  std::atomic<uint64_t> truncate_epoch_{0};
  // Takes one from `counter` unless it is 0.
  static bool take(std::atomic<uint64_t>& counter) {
    uint64_t left = counter.load(std::memory_order_relaxed);
    while (left > 0 && !counter.compare_exchange_weak(left, left - 1, std::memory_order_relaxed)) {
    }
    return left > 0;
  }
  // The spec store_id replies with. REQUIRES: has_latency_.
  std::shared_ptr<const LatencySpec> latency_for(uint64_t store_id) const;

  std::atomic<std::shared_ptr<const LatencySpec>> latency_;
  // A store's own latency, by store id (null: every store's).
  std::array<std::atomic<std::shared_ptr<const LatencySpec>>, kMaxStores + 1> store_latency_;
};

}  // namespace tikvbench::mock
