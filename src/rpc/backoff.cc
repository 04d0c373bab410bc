#include "rpc/backoff.h"

#include <algorithm>

namespace tikvbench::rpc {
namespace {

// client-go config/retry/config.go.
constexpr std::array<BackoffConfig, kBackoffKinds> kConfigs = {{
    {"tikvRPC", 100, 2000, Jitter::kEqual},
    {"pdRPC", 500, 3000, Jitter::kEqual},
    {"regionMiss", 2, 500, Jitter::kNone},
    {"regionScheduling", 2, 500, Jitter::kNone},
    {"tikvServerBusy", 2000, 10000, Jitter::kEqual},
    {"tikvDiskFull", 500, 5000, Jitter::kNone},
    {"regionRecoveryInProgress", 100, 10000, Jitter::kEqual},
    {"maxTsNotSynced", 2, 500, Jitter::kNone},
    {"regionNotInitialized", 2, 1000, Jitter::kNone},
    {"isWitness", 1000, 10000, Jitter::kEqual},
}};

constexpr int64_t kMaxExcludedMs = 600'000;

int64_t expo(int64_t base, int64_t cap, int attempt) {
  if (attempt >= 62) return cap;
  const int64_t value = base << std::min(attempt, 40);
  return std::min(cap, value);
}

}  // namespace

const BackoffConfig& backoff_config(BackoffKind kind) { return kConfigs[static_cast<size_t>(kind)]; }

Backoffer::Backoffer(std::chrono::milliseconds budget, uint64_t seed) : budget_ms_(budget.count()), rng_(seed) {}

uint64_t Backoffer::random(uint64_t bound) {
  uint64_t z = (rng_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return (z ^ (z >> 31)) % bound;
}

std::optional<std::chrono::milliseconds> Backoffer::next(BackoffKind kind) {
  const auto& config = backoff_config(kind);
  const int64_t counted = total_ms_ - excluded_ms_;
  if (counted >= budget_ms_) return std::nullopt;
  int& attempt = attempts_[static_cast<size_t>(kind)];
  const int64_t base = std::max(config.base_ms, 2);  // client-go's floor for rand.Intn
  const int64_t value = expo(base, config.cap_ms, attempt);
  int64_t sleep = value;
  switch (config.jitter) {
    case Jitter::kNone: break;
    case Jitter::kFull: sleep = static_cast<int64_t>(random(static_cast<uint64_t>(value))); break;
    case Jitter::kEqual:
      sleep = value / 2 + static_cast<int64_t>(random(static_cast<uint64_t>(std::max<int64_t>(value / 2, 1))));
      break;
  }
  const bool excluded = kind == BackoffKind::kServerBusy && excluded_ms_ + sleep <= kMaxExcludedMs;
  if (!excluded) sleep = std::min(sleep, budget_ms_ - counted);  // clip to what is left
  ++attempt;
  total_ms_ += sleep;
  if (excluded) excluded_ms_ += sleep;
  return std::chrono::milliseconds(sleep);
}

}  // namespace tikvbench::rpc
