// PdMembership is the mock PD's members and which of them leads, as PD's
// etcd-based election would have it: every member is listed, running or
// not; at most one leads; between a leader's loss and the next election
// none does (GetMembers then names no leader).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pdpb.pb.h"

namespace tikvbench::mock {

class PdMembership {
 public:
  // `count` members with ids derived from `cluster_id`; member 0 leads.
  PdMembership(size_t count, uint64_t cluster_id);

  size_t size() const { return size_; }
  // The URL clients reach member `index` at; set once its server is bound.
  void set_client_url(size_t index, std::string url);
  std::string client_url(size_t index) const;

  bool running(size_t index) const;
  void set_running(size_t index, bool running);
  std::vector<size_t> running_members() const;

  bool is_leader(size_t index) const;
  std::optional<size_t> leader() const;
  // nullopt: an election is under way.
  void set_leader(std::optional<size_t> index);

  // GetMembers' answer: every member, and the leader (also as the etcd
  // leader) unless an election is under way.
  void fill(pdpb::GetMembersResponse* response) const;

 private:
  pdpb::Member member_locked(size_t index) const;

  const size_t size_;
  const uint64_t first_member_id_;
  mutable std::mutex mu_;
  std::vector<std::string> client_urls_;  // Guarded by mu_.
  std::vector<bool> running_;             // Guarded by mu_.
  std::optional<size_t> leader_;          // Guarded by mu_.
};

}  // namespace tikvbench::mock
