// A mock cluster with the real client connected to it.
#pragma once

#include <memory>

#include "support/cluster_fixture.h"
#include "tikv/cluster_client.h"

namespace tikvbench::test {

inline tikv::ClientOptions client_options_for(const mock::MockCluster& cluster,
                                              tikv::TransportKind transport = tikv::TransportKind::kBatch) {
  tikv::ClientOptions options;
  options.pd = {cluster.pd_address()};
  options.threads = 2;
  options.transport = transport;
  options.connect_timeout = std::chrono::seconds(5);
  options.transport_options.timeout = std::chrono::seconds(5);
  return options;
}

struct ClientFixture {
  explicit ClientFixture(mock::MockClusterOptions cluster_options = small_cluster_options(),
                         tikv::TransportKind transport = tikv::TransportKind::kBatch)
      : cluster(std::move(cluster_options)) {
    auto connected = tikv::ClusterClient::connect(client_options_for(cluster, transport));
    if (!connected.ok()) throw std::runtime_error(connected.status().to_string());
    client = std::move(connected).value();
  }

  tikv::RawClient& raw() { return client->raw(); }
  template <class T>
  T run(asio::awaitable<T> task) { return client->run(std::move(task)); }

  mock::MockCluster cluster;
  std::unique_ptr<tikv::ClusterClient> client;
};

}  // namespace tikvbench::test
