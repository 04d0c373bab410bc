#include "tikv/pending_calls.h"

#include <utility>

namespace tikvbench::tikv {

uint64_t PendingCalls::add(std::unique_ptr<PendingCall> call, Clock::time_point deadline) {
  if (next_id_ - first_id_ == ring_.size()) grow();
  const uint64_t id = next_id_++;
  slot(id) = Slot{std::move(call), deadline};
  ++waiting_;
  return id;
}

std::unique_ptr<PendingCall> PendingCalls::take(uint64_t id) {
  if (id < first_id_ || id >= next_id_) return nullptr;
  auto call = std::move(slot(id).call);
  if (call) {
    --waiting_;
    trim();
  }
  return call;
}

void PendingCalls::take_expired(Clock::time_point now, std::vector<std::unique_ptr<PendingCall>>& out) {
  while (first_id_ != next_id_) {
    Slot& oldest = slot(first_id_);
    if (oldest.call) {
      if (oldest.deadline > now) break;
      out.push_back(std::move(oldest.call));
      --waiting_;
    }
    head_ = (head_ + 1) & (ring_.size() - 1);
    ++first_id_;
  }
  trim();
}

std::vector<std::unique_ptr<PendingCall>> PendingCalls::take_all() {
  std::vector<std::unique_ptr<PendingCall>> all;
  all.reserve(waiting_);
  for (uint64_t id = first_id_; id != next_id_; ++id) {
    if (auto& call = slot(id).call) all.push_back(std::move(call));
  }
  head_ = 0;
  first_id_ = next_id_;
  waiting_ = 0;
  return all;
}

void PendingCalls::trim() {
  while (first_id_ != next_id_ && !slot(first_id_).call) {
    head_ = (head_ + 1) & (ring_.size() - 1);
    ++first_id_;
  }
}

void PendingCalls::grow() {
  std::vector<Slot> bigger(ring_.empty() ? 64 : ring_.size() * 2);
  for (uint64_t id = first_id_; id != next_id_; ++id) bigger[id - first_id_] = std::move(slot(id));
  ring_ = std::move(bigger);
  head_ = 0;
}

}  // namespace tikvbench::tikv
