#include "cli/client_figures.h"

#include <array>
#include <string_view>

namespace tikvbench::cli {
namespace {

// What a backoff of each kind means to someone watching the run.
constexpr std::array<std::pair<rpc::BackoffKind, std::string_view>, rpc::kBackoffKinds> kWaits = {{
    {rpc::BackoffKind::kServerBusy, "backing off on ServerIsBusy"},
    {rpc::BackoffKind::kTikvRpc, "a store unreachable or not answering in time (backing off)"},
    {rpc::BackoffKind::kPdRpc, "PD not answering (backing off)"},
    {rpc::BackoffKind::kRegionScheduling, "a region without a leader (NotLeader, backing off)"},
    {rpc::BackoffKind::kRegionMiss, "region changes (reloading regions, backing off)"},
    {rpc::BackoffKind::kDiskFull, "a store's disk full (DiskFull, backing off)"},
    {rpc::BackoffKind::kRecoveryInProgress, "a region recovering (RecoveryInProgress, backing off)"},
    {rpc::BackoffKind::kMaxTsNotSynced, "a store's timestamps not synced (MaxTimestampNotSynced, backing off)"},
    {rpc::BackoffKind::kRegionNotInitialized, "a region not initialized (RegionNotInitialized, backing off)"},
    {rpc::BackoffKind::kIsWitness, "a witness asked (IsWitness, backing off)"},
}};

}  // namespace

std::map<std::string, uint64_t> ClusterClientFigures::retries_by_kind() const {
  auto retries = client_.stats().retries_by_reason();
  // What stores did wrong on the streams (replies under unknown ids,
  // undecodable messages, streams ended early), each of which made the
  // requests it touched retry.
  for (const auto& [kind, count] : client_.stream_faults()) retries[kind] += count;
  return retries;
}

std::vector<std::pair<int64_t, std::string>> ClusterClientFigures::backing_off() const {
  std::vector<std::pair<int64_t, std::string>> out;
  for (const auto& [kind, text] : kWaits) {
    if (const auto n = client_.stats().backing_off(kind); n > 0) out.emplace_back(n, std::string(text));
  }
  return out;
}

std::map<uint64_t, std::map<std::string, uint64_t>> ClusterClientFigures::retries_by_store() const {
  return client_.stats().retries_by_store();
}

std::map<uint64_t, std::string> ClusterClientFigures::store_addresses() const {
  for (auto& [id, address] : client_.cache().store_addresses()) {
    addresses_seen_[id] = std::move(address);
  }
  return addresses_seen_;
}

}  // namespace tikvbench::cli
