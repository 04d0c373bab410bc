// ClusterClientFigures shows a ClusterClient to the reports
// (report::ClientFigures): its retries by kind, stream faults included, and
// its operations backing off now, each kind in words for the status line.
//
// Thread safety: as report::ClientFigures; it reads the client's counters.
// store_addresses() remembers what it saw: call it from one thread (the
// runner's, as report::ClientFigures says).
// Lifetime: the client must outlive it.
#pragma once

#include "report/client_figures.h"
#include "tikv/cluster_client.h"

namespace tikvbench::cli {

class ClusterClientFigures : public report::ClientFigures {
 public:
  explicit ClusterClientFigures(const tikv::ClusterClient& client) : client_(client) {}

  std::map<std::string, uint64_t> retries_by_kind() const override;
  std::vector<std::pair<int64_t, std::string>> backing_off() const override;
  std::map<uint64_t, std::map<std::string, uint64_t>> retries_by_store() const override;
  // The addresses the region cache holds now, and those it held before
  // (a store dropped from the cache keeps the address it had).
  std::map<uint64_t, std::string> store_addresses() const override;

 private:
  const tikv::ClusterClient& client_;
  mutable std::map<uint64_t, std::string> addresses_seen_;
};

}  // namespace tikvbench::cli
