// KeyspaceDirectory is the mock PD's keyspaces: their names, ids and
// states, shared by every PD member.
//   - "DEFAULT" (id 0) always exists, ENABLED, as PD bootstraps it.
//   - Other keyspaces are added with ids of their own (or the lowest free
//     id) and start ENABLED; set_state() moves them, as PD's
//     UpdateKeyspaceState would (the mock allows any move).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "keyspacepb.pb.h"

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

class KeyspaceDirectory {
 public:
  // Throws as keyspace_metas() does.
  explicit KeyspaceDirectory(const std::vector<KeyspaceSpec>& keyspaces);

  // The keyspaces, by name.
  std::vector<keyspacepb::KeyspaceMeta> all() const;
  std::optional<keyspacepb::KeyspaceMeta> find(const std::string& name) const;
  // Returns an empty string, or why the state could not be set.
  std::string set_state(const std::string& name, keyspacepb::KeyspaceState state);

 private:
  mutable std::mutex mu_;
  std::map<std::string, keyspacepb::KeyspaceMeta> by_name_;  // Guarded by mu_.
};

}  // namespace tikvbench::mock
