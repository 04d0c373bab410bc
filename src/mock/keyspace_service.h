// KeyspaceService is the mock PD's keyspacepb.Keyspace service: the named
// keyspaces of an API v2 cluster and their states, looked up by name with
// LoadKeyspace as API v2 clients do at start (client-go asks for "DEFAULT"
// when no keyspace is named).
//   - "DEFAULT" (id 0) always exists, ENABLED, as PD bootstraps it.
//   - Other keyspaces are added with ids of their own (or the next free id)
//     and start ENABLED; set_state() moves them, as PD's UpdateKeyspaceState
//     would (the mock allows any move).
//   - A request naming another cluster fails with FAILED_PRECONDITION; an
//     unknown name gets PD's ENTRY_NOT_FOUND header error
//     "[PD:keyspace:ErrKeyspaceNotFound]keyspace does not exist".
// The service's other RPCs answer UNIMPLEMENTED.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "keyspacepb.grpc.pb.h"

namespace tikvbench::mock {

// A keyspace to create: its name, and its id unless PD should pick one.
struct KeyspaceSpec {
  std::string name;
  std::optional<uint32_t> id;
};

// Parses NAME or NAME=ID. Throws std::invalid_argument naming the text.
KeyspaceSpec parse_keyspace_spec(const std::string& text);
// Parses enabled, disabled, archived or tombstone (any case).
std::optional<keyspacepb::KeyspaceState> parse_keyspace_state(const std::string& text);

// The keyspaces a cluster starts with: DEFAULT (id 0) and `keyspaces`, all
// ENABLED. Throws std::invalid_argument on a duplicate name or id, or an id
// above API v2's 24-bit limit.
std::vector<keyspacepb::KeyspaceMeta> keyspace_metas(const std::vector<KeyspaceSpec>& keyspaces);

class KeyspaceService final : public keyspacepb::Keyspace::CallbackService {
 public:
  // Throws as keyspace_metas() does.
  KeyspaceService(uint64_t cluster_id, const std::vector<KeyspaceSpec>& keyspaces);

  // The keyspaces, by name.
  std::vector<keyspacepb::KeyspaceMeta> all() const;
  // Returns an empty string, or why the state could not be set.
  std::string set_state(const std::string& name, keyspacepb::KeyspaceState state);

  grpc::ServerUnaryReactor* LoadKeyspace(grpc::CallbackServerContext* ctx,
                                         const keyspacepb::LoadKeyspaceRequest* request,
                                         keyspacepb::LoadKeyspaceResponse* response) override;

 private:
  const uint64_t cluster_id_;
  mutable std::mutex mu_;
  std::map<std::string, keyspacepb::KeyspaceMeta> by_name_;  // Guarded by mu_.
};

}  // namespace tikvbench::mock
