// Backoff as client-go does it (config/retry): each kind has a base and a cap
// in milliseconds and a jitter; the n-th sleep of a kind is
// min(cap, base * 2^n), jittered. A Backoffer carries one request's budget
// (rawkv's default: 20 s of total sleep); tikvServerBusy sleeps do not count
// against it, up to 600 s, as in client-go.
//
// Thread safety: a Backoffer belongs to one request; not shared.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tikvbench::rpc {

// The kinds a raw request backs off on, each with client-go's config
// (config/retry/config.go): BoTiKVRPC, BoPDRPC, BoRegionMiss,
// BoRegionScheduling, BoTiKVServerBusy, BoTiKVDiskFull,
// BoRegionRecoveryInProgress, BoMaxTsNotSynced, BoMaxRegionNotInitialized,
// BoIsWitness.
enum class BackoffKind {
  kTikvRpc,               // a store could not be reached or timed out
  kPdRpc,                 // PD could not be reached, or had no region for a key
  kRegionMiss,            // a region error whose cure is a reload
  kRegionScheduling,      // NotLeader without a leader; ReadIndexNotReady; ProposalInMergingMode
  kServerBusy,            // ServerIsBusy
  kDiskFull,              // DiskFull
  kRecoveryInProgress,    // RecoveryInProgress
  kMaxTsNotSynced,        // MaxTimestampNotSynced
  kRegionNotInitialized,  // RegionNotInitialized
  kIsWitness,             // IsWitness
};
inline constexpr size_t kBackoffKinds = 10;

enum class Jitter { kNone, kFull, kEqual };

struct BackoffConfig {
  std::string_view name;  // client-go's name: tikvRPC, pdRPC, regionMiss, ...
  int base_ms;
  int cap_ms;
  Jitter jitter;
};

const BackoffConfig& backoff_config(BackoffKind kind);

class Backoffer {
 public:
  // `budget`: total sleep allowed (server-busy sleeps excluded up to 600 s).
  // `seed` drives the jitter, so tests can reproduce it.
  Backoffer(std::chrono::milliseconds budget, uint64_t seed);

  // The next sleep for `kind`, clipped to what is left of the budget; nullopt
  // when the budget is spent (the request then fails with kBackoffExhausted).
  // Records the sleep as taken.
  std::optional<std::chrono::milliseconds> next(BackoffKind kind);

  // A retry without a sleep (client-go retries StaleCommand and
  // DataIsNotReady at once, its replica selector bounding the attempts):
  // true for the first kMaxImmediateRetries of a request, then false, and
  // the caller backs off instead.
  static constexpr int kMaxImmediateRetries = 10;
  bool immediate_retry() { return immediate_retries_++ < kMaxImmediateRetries; }

  std::chrono::milliseconds total_sleep() const { return std::chrono::milliseconds(total_ms_); }
  int attempts(BackoffKind kind) const { return attempts_[static_cast<size_t>(kind)]; }

 private:
  uint64_t random(uint64_t bound);  // uniform in [0, bound); REQUIRES: bound > 0

  int64_t budget_ms_;
  int64_t total_ms_ = 0;      // every sleep
  int64_t excluded_ms_ = 0;   // server-busy sleeps not counted against the budget
  uint64_t rng_;
  std::array<int, kBackoffKinds> attempts_{};
  int immediate_retries_ = 0;
};

// Makes each request's Backoffer: the same budget, a seed of its own.
// Thread safety: make() from any thread.
class BackofferFactory {
 public:
  BackofferFactory(std::chrono::milliseconds budget, uint64_t seed) : budget_(budget), seed_(seed) {}
  Backoffer make() {
    return Backoffer(budget_, seed_.fetch_add(0x9e3779b97f4a7c15ULL, std::memory_order_relaxed));
  }

 private:
  const std::chrono::milliseconds budget_;
  std::atomic<uint64_t> seed_;
};

}  // namespace tikvbench::rpc
