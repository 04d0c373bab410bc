// ClusterClientFigures shows a ClusterClient to the reports
// (report::ClientFigures): its retries by kind, stream faults included, and
// its operations backing off now, each kind in words for the status line.
//
// Thread safety: as report::ClientFigures; it reads the client's counters.
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

 private:
  const tikv::ClusterClient& client_;
};

}  // namespace tikvbench::cli
