// The flags every command that talks to a cluster takes (--pd, --cluster-id,
// --loops, --transport, --conns, --max-batch, --timeout, --connect-timeout,
// --api-version, --ca/--cert/--key), and their translation into
// ClientOptions. Bad values throw std::invalid_argument naming the flag.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>  // the whole of it: App alone leaves Formatter and Config undefined

#include "tikv/cluster_client.h"

namespace tikvbench::cli {

struct ClientFlags {
  std::string pd = "127.0.0.1:2379";
  size_t loops = 0;  // event-loop threads; 0: one per core
  std::string transport = "batch";
  size_t conns = 4;
  size_t max_batch = 128;
  std::string timeout = "10s";
  std::string connect_timeout = "10s";
  std::string backoff_budget = "20s";
  std::string api_version = "v1";
  uint32_t keyspace_id = 0;
  bool keyspace_id_given = false;
  std::string keyspace;  // by name (LoadKeyspace)
  uint64_t cluster_id = 0;
  std::string ca, cert, key;

  // Registers the flags on `command`. `pd_default`: --pd shows its default
  // address; load and run have none (without --pd they use the embedded
  // mock cluster).
  void add_to(CLI::App& command, bool pd_default = true);
  // REQUIRES: parsed. Throws std::invalid_argument naming a bad flag.
  tikv::ClientOptions options() const;
};

}  // namespace tikvbench::cli
