// ClientStats counts what the client did besides succeeding: every retry by
// its reason and every final error by its code, for the reports; and how
// many requests sleep in a backoff right now, by the backoff's kind, so a
// status line can say what operations in flight are waiting on.
//
// Retries are also counted per store (the store whose answer, or silence,
// asked for the retry; 0 when none did, as for PD errors), and the events
// the client observes (a leader move, a split, a busy store, a backoff that
// ran out) go to the run's EventLog when it has one.
//
// Thread safety: counters are relaxed atomics; any thread may bump or read.
// The per-store retries take a mutex (retries only, never a success).
// Lifetime: the EventLog, when set, must outlive the stats' use.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "rpc/backoff.h"
#include "util/event_log.h"
#include "util/status.h"

namespace tikvbench::tikv {

enum class RetryReason {
  kNotLeader,
  kEpochNotMatch,
  kRegionNotFound,
  kKeyNotInRegion,
  kStoreNotMatch,
  kServerIsBusy,
  kStaleCommand,
  kDiskFull,
  kRecoveryInProgress,
  kIsWitness,
  kMaxTimestampNotSynced,
  kRegionNotInitialized,
  kReadIndexNotReady,
  kProposalInMergingMode,
  kDataIsNotReady,
  kMismatchPeerId,
  kBucketVersionNotMatch,
  kUndeterminedResult,
  kOtherRegionError,  // a region error of no kind above
  kSendFailed,  // store unreachable or its stream broke
  kTimeout,     // no response within the request timeout
  kPdError,     // PD unreachable or without the region
};
inline constexpr size_t kRetryReasons = 22;
std::string_view retry_reason_name(RetryReason reason);

class ClientStats {
 public:
  void retry(RetryReason reason) { retries_[static_cast<size_t>(reason)].fetch_add(1, std::memory_order_relaxed); }
  // A retry asked for by store `store`'s answer (or its silence).
  void retry(RetryReason reason, uint64_t store);
  void error(StatusCode code) { errors_[static_cast<size_t>(code)].fetch_add(1, std::memory_order_relaxed); }

  uint64_t retries(RetryReason reason) const {
    return retries_[static_cast<size_t>(reason)].load(std::memory_order_relaxed);
  }
  uint64_t errors(StatusCode code) const { return errors_[static_cast<size_t>(code)].load(std::memory_order_relaxed); }
  uint64_t total_retries() const;

  // A request starts or ends a backoff sleep of `kind`.
  void backoff_started(rpc::BackoffKind kind) { backing_off_[static_cast<size_t>(kind)].fetch_add(1, std::memory_order_relaxed); }
  void backoff_ended(rpc::BackoffKind kind) { backing_off_[static_cast<size_t>(kind)].fetch_sub(1, std::memory_order_relaxed); }
  // Requests sleeping in a backoff of `kind` now.
  int64_t backing_off(rpc::BackoffKind kind) const {
    return backing_off_[static_cast<size_t>(kind)].load(std::memory_order_relaxed);
  }
  // Non-zero counters by name, e.g. {"not_leader": 12}.
  std::map<std::string, uint64_t> retries_by_reason() const;
  std::map<std::string, uint64_t> errors_by_code() const;
  // Per store, its non-zero retry counters by name.
  std::map<uint64_t, std::map<std::string, uint64_t>> retries_by_store() const;

  // Where observed events go; null (the default): nowhere. Set before use.
  void set_event_log(EventLog* events) { events_ = events; }
  // Records an event in the log, if there is one.
  void event(std::string_view kind, uint64_t store, std::string_view detail) {
    if (events_ != nullptr) events_->add(kind, store, detail);
  }

 private:
  std::array<std::atomic<uint64_t>, kRetryReasons> retries_{};
  std::array<std::atomic<uint64_t>, 9> errors_{};  // by StatusCode
  std::array<std::atomic<int64_t>, rpc::kBackoffKinds> backing_off_{};
  mutable std::mutex store_mu_;
  std::map<uint64_t, std::array<uint64_t, kRetryReasons>> store_retries_;  // Guarded by store_mu_.
  EventLog* events_ = nullptr;
};

}  // namespace tikvbench::tikv
