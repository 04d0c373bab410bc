#include "tikv/client_stats.h"

namespace tikvbench::tikv {

std::string_view retry_reason_name(RetryReason reason) {
  switch (reason) {
    case RetryReason::kNotLeader: return "not_leader";
    case RetryReason::kEpochNotMatch: return "epoch_not_match";
    case RetryReason::kRegionNotFound: return "region_not_found";
    case RetryReason::kKeyNotInRegion: return "key_not_in_region";
    case RetryReason::kStoreNotMatch: return "store_not_match";
    case RetryReason::kServerIsBusy: return "server_is_busy";
    case RetryReason::kStaleCommand: return "stale_command";
    case RetryReason::kDiskFull: return "disk_full";
    case RetryReason::kRecoveryInProgress: return "recovery_in_progress";
    case RetryReason::kIsWitness: return "is_witness";
    case RetryReason::kMaxTimestampNotSynced: return "max_timestamp_not_synced";
    case RetryReason::kRegionNotInitialized: return "region_not_initialized";
    case RetryReason::kReadIndexNotReady: return "read_index_not_ready";
    case RetryReason::kProposalInMergingMode: return "proposal_in_merging_mode";
    case RetryReason::kDataIsNotReady: return "data_is_not_ready";
    case RetryReason::kMismatchPeerId: return "mismatch_peer_id";
    case RetryReason::kBucketVersionNotMatch: return "bucket_version_not_match";
    case RetryReason::kUndeterminedResult: return "undetermined_result";
    case RetryReason::kOtherRegionError: return "other_region_error";
    case RetryReason::kSendFailed: return "send_failed";
    case RetryReason::kTimeout: return "timeout";
    case RetryReason::kPdError: return "pd_error";
  }
  return "unknown";
}

uint64_t ClientStats::total_retries() const {
  uint64_t total = 0;
  for (const auto& counter : retries_) total += counter.load(std::memory_order_relaxed);
  return total;
}

std::map<std::string, uint64_t> ClientStats::retries_by_reason() const {
  std::map<std::string, uint64_t> result;
  for (size_t i = 0; i < kRetryReasons; ++i) {
    if (const auto n = retries_[i].load(std::memory_order_relaxed)) {
      result[std::string(retry_reason_name(static_cast<RetryReason>(i)))] = n;
    }
  }
  return result;
}

std::map<std::string, uint64_t> ClientStats::errors_by_code() const {
  std::map<std::string, uint64_t> result;
  for (size_t i = 1; i < errors_.size(); ++i) {
    if (const auto n = errors_[i].load(std::memory_order_relaxed)) {
      result[std::string(status_code_name(static_cast<StatusCode>(i)))] = n;
    }
  }
  return result;
}

void ClientStats::retry(RetryReason reason, uint64_t store) {
  retry(reason);
  std::lock_guard lock(store_mu_);
  ++store_retries_[store][static_cast<size_t>(reason)];
}

std::map<uint64_t, std::map<std::string, uint64_t>> ClientStats::retries_by_store() const {
  std::map<uint64_t, std::map<std::string, uint64_t>> result;
  std::lock_guard lock(store_mu_);
  for (const auto& [store, counts] : store_retries_) {
    auto& named = result[store];
    for (size_t i = 0; i < kRetryReasons; ++i) {
      if (counts[i] != 0) named[std::string(retry_reason_name(static_cast<RetryReason>(i)))] = counts[i];
    }
  }
  return result;
}

}  // namespace tikvbench::tikv
