#include "mock/pd_membership.h"

#include <fmt/format.h>

namespace tikvbench::mock {

PdMembership::PdMembership(size_t count, uint64_t cluster_id)
    : size_(count),
      // PD's member ids are large numbers unrelated to the cluster id; keep
      // ours large and distinct from it.
      first_member_id_((cluster_id ^ 0x5bd1e9955bd1e995ULL) | 1),
      client_urls_(count),
      running_(count, true),
      leader_(0) {}

void PdMembership::set_client_url(size_t index, std::string url) {
  std::lock_guard lock(mu_);
  client_urls_.at(index) = std::move(url);
}

std::string PdMembership::client_url(size_t index) const {
  std::lock_guard lock(mu_);
  return client_urls_.at(index);
}

bool PdMembership::running(size_t index) const {
  std::lock_guard lock(mu_);
  return running_.at(index);
}

void PdMembership::set_running(size_t index, bool running) {
  std::lock_guard lock(mu_);
  running_.at(index) = running;
}

std::vector<size_t> PdMembership::running_members() const {
  std::lock_guard lock(mu_);
  std::vector<size_t> out;
  for (size_t i = 0; i < size_; ++i) {
    if (running_[i]) out.push_back(i);
  }
  return out;
}

bool PdMembership::is_leader(size_t index) const {
  std::lock_guard lock(mu_);
  return leader_ == index;
}

std::optional<size_t> PdMembership::leader() const {
  std::lock_guard lock(mu_);
  return leader_;
}

void PdMembership::set_leader(std::optional<size_t> index) {
  std::lock_guard lock(mu_);
  leader_ = index;
}

pdpb::Member PdMembership::member_locked(size_t index) const {
  pdpb::Member member;
  member.set_name(size_ == 1 ? "pd-mock" : fmt::format("pd-{}", index + 1));
  member.set_member_id(first_member_id_ + index);
  member.add_client_urls(client_urls_[index]);
  member.add_peer_urls(client_urls_[index]);
  return member;
}

void PdMembership::fill(pdpb::GetMembersResponse* response) const {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < size_; ++i) *response->add_members() = member_locked(i);
  if (leader_) {
    *response->mutable_leader() = member_locked(*leader_);
    *response->mutable_etcd_leader() = member_locked(*leader_);
  }
}

}  // namespace tikvbench::mock
