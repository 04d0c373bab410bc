// AdminCommands reads the mock cluster's on-command actions, one per line,
// and carries them out. The same grammar serves `mock-cluster`'s standard
// input (and any script piping into it):
//
//   regions                          list regions: id, range, epoch, leader
//   stores                           list stores: id, address, up or down
//   split REGION_ID [KEY]            split at KEY, or at the median key
//   split-key KEY                    split the region holding KEY at KEY
//   transfer-leader REGION_ID [STORE_ID]
//   stop-store STORE_ID | start-store STORE_ID
//   busy FRACTION                    e.g. 0.5% of requests get ServerIsBusy
//   latency SPEC                     e.g. 2ms, uniform:1ms-5ms, exp:2ms, 0
//   rate-cap OPS | rate-cap off      serve at most OPS requests/s; the rest queue
//   keyspaces                        list keyspaces: name, id, state
//   keyspace-state NAME STATE        enabled, disabled, archived, tombstone
//   unserved                         calls answered UNIMPLEMENTED, by method
//   chaos                            what chaos has done: splits, leader transfers, restarts
//   pd-members                       PD members: number, address, up or down, leader
//   pd-leader [MEMBER]               move PD's leadership (an election) to MEMBER or another
//   stop-pd MEMBER | start-pd MEMBER
//   help
//
// Each command's reply ends with a line "ok" or "error: ...". Keys are taken
// as written; \xNN escapes give any byte.
//
// Thread safety: execute() may be called from any thread but a gRPC handler
// of the cluster.
#pragma once

#include <string>
#include <string_view>

namespace tikvbench::mock {

class MockCluster;

class AdminCommands {
 public:
  explicit AdminCommands(MockCluster& cluster) : cluster_(cluster) {}

  // Runs one command line; returns its reply, each line ending in '\n'.
  // Blank lines and lines starting with '#' give an empty reply.
  std::string execute(std::string_view line);

 private:
  MockCluster& cluster_;
};

}  // namespace tikvbench::mock
