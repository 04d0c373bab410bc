#include "workload/verify_tracker.h"

#include <fmt/format.h>

#include "workload/verified_value.h"

namespace tikvbench::workload {
namespace {

constexpr size_t kMaxExamples = 10;

}  // namespace

VerifyTracker::VerifyTracker(int64_t loaded_begin, int64_t loaded_end)
    : loaded_begin_(loaded_begin), loaded_end_(loaded_end) {}

VerifyTracker::KeyState& VerifyTracker::state(Stripe& stripe, int64_t key) {
  auto [it, fresh] = stripe.keys.try_emplace(key);
  if (fresh && key >= loaded_begin_ && key < loaded_end_) {
    it->second.floor = 1;
    it->second.exists = true;
  }
  return it->second;
}

uint64_t VerifyTracker::begin_write(int64_t key) {
  auto& s = stripe(key);
  std::lock_guard lock(s.mu);
  auto& k = state(s, key);
  const uint64_t version = k.next_version++;
  if (k.inflight++ == 0) {
    k.burst_first = version;
    k.burst_failed = false;
    k.burst_deleted = false;
  }
  ++k.writes_started;
  return version;
}

void VerifyTracker::end_write(int64_t key, uint64_t, bool acknowledged, bool is_delete) {
  auto& s = stripe(key);
  std::lock_guard lock(s.mu);
  auto& k = state(s, key);
  k.burst_failed |= !acknowledged;
  k.burst_deleted |= is_delete;
  if (--k.inflight > 0) return;
  if (k.burst_deleted) {
    // Whether the key exists now depends on the order the store applied
    // the burst in; only its versions are still checked.
    k.existence_known = false;
    k.floor = 0;
  } else if (!k.burst_failed) {
    k.floor = k.burst_first;
    k.exists = true;
  }
}

VerifyTracker::ReadToken VerifyTracker::begin_read(int64_t key) {
  auto& s = stripe(key);
  std::lock_guard lock(s.mu);
  auto& k = state(s, key);
  return {k.inflight == 0, k.existence_known && k.exists, k.floor, k.writes_started};
}

bool VerifyTracker::end_read(int64_t key, const ReadToken& token, std::string_view row_key,
                             std::optional<std::string_view> value) {
  if (value) {
    const auto opened = open_value(row_key, *value);
    if (!opened.intact) {
      problem(true, fmt::format("key {}: the value's checksum does not match ({} bytes)", row_key, value->size()));
      return false;
    }
    if (!token.judge) return true;
    {
      auto& s = stripe(key);
      std::lock_guard lock(s.mu);
      if (state(s, key).writes_started != token.writes_started) return true;  // a write raced the read
    }
    if (opened.version < token.floor) {
      problem(false, fmt::format("key {}: read version {}, but version {} was acknowledged", row_key,
                                 opened.version, token.floor));
      return false;
    }
    checked_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  if (!token.judge) return true;
  {
    auto& s = stripe(key);
    std::lock_guard lock(s.mu);
    if (state(s, key).writes_started != token.writes_started) return true;
  }
  if (token.must_exist) {
    problem(false, fmt::format("key {}: not found, but version {} was acknowledged", row_key, token.floor));
    return false;
  }
  checked_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void VerifyTracker::problem(bool corrupt, std::string text) {
  checked_.fetch_add(1, std::memory_order_relaxed);
  (corrupt ? corrupt_ : lost_).fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(examples_mu_);
  if (examples_.size() < kMaxExamples) examples_.push_back(std::move(text));
}

VerifyCounts VerifyTracker::counts() const {
  VerifyCounts counts;
  counts.checked = checked_.load(std::memory_order_relaxed);
  counts.lost = lost_.load(std::memory_order_relaxed);
  counts.corrupt = corrupt_.load(std::memory_order_relaxed);
  std::lock_guard lock(examples_mu_);
  counts.examples = examples_;
  return counts;
}

}  // namespace tikvbench::workload
