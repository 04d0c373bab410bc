// A mock cluster on free loopback ports with a test client pointed at it.
#pragma once

#include "mock/mock_cluster.h"
#include "support/test_client.h"

namespace tikvbench::test {

inline mock::MockClusterOptions small_cluster_options() {
  mock::MockClusterOptions options;
  options.pd_port = 0;
  options.stores = 3;
  options.split_keys = 0;  // tests split on command
  options.election_timeout = std::chrono::milliseconds(0);
  return options;
}

struct ClusterFixture {
  explicit ClusterFixture(mock::MockClusterOptions options = small_cluster_options())
      : cluster(std::move(options)), client(cluster.pd_address(), cluster.cluster_id()) {}

  mock::MockCluster cluster;
  TestClient client;
};

}  // namespace tikvbench::test
