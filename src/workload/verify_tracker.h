// VerifyTracker is `--verify`'s memory of what was written: per key, the
// versions of the writes in flight and the oldest version a read may still
// return. A read is judged only when it can be judged fairly: no write to
// its key was in flight when it started and none started before it ended.
// Then it must find the key (when a write or the load stored it) at a
// version no older than the floor; a missing key or an older version counts
// as lost, a value whose checksum fails as corrupt.
//
// The floor after a burst of overlapping writes is the first version of the
// burst (the store may have applied them in any order), or the previous
// floor when one of them failed (it may not have been applied). After a
// delete the key's existence is no longer checked. Keys in the loaded range
// that this process never wrote must exist at version 1 or later.
//
// Thread safety: every method may be called from any thread; keys are
// spread over striped locks, held only inside a call.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory_resource>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "workload/run_result.h"

namespace tikvbench::workload {

class VerifyTracker {
 public:
  // Keys numbered [loaded_begin, loaded_end) were stored by a load.
  VerifyTracker(int64_t loaded_begin, int64_t loaded_end);
  VerifyTracker(const VerifyTracker&) = delete;
  VerifyTracker& operator=(const VerifyTracker&) = delete;

  // A write to `key` starts; returns the version to store.
  uint64_t begin_write(int64_t key);
  // The write of `version` ended: acknowledged by the store, or failed.
  void end_write(int64_t key, uint64_t version, bool acknowledged, bool is_delete = false);

  // What a read of `key` must see, taken before the read is sent.
  struct ReadToken {
    bool judge = false;      // no write in flight
    bool must_exist = false;
    uint64_t floor = 0;
    uint64_t writes_started = 0;
  };
  ReadToken begin_read(int64_t key);
  // Judges the read of `key` (stored as `row_key`) that found `value`
  // (nullopt: not found). Returns false when it counted a problem.
  bool end_read(int64_t key, const ReadToken& token, std::string_view row_key,
                std::optional<std::string_view> value);

  VerifyCounts counts() const;

 private:
  struct KeyState {
    uint64_t next_version = 2;  // the load stores 1
    uint64_t writes_started = 0;
    int inflight = 0;
    uint64_t floor = 0;
    bool exists = false;
    bool existence_known = true;
    // The burst of overlapping writes now open.
    uint64_t burst_first = 0;
    bool burst_failed = false;
    bool burst_deleted = false;
  };
  // A key's state is made when the key is first touched and kept to the
  // end, so a stripe takes its states from blocks of its own (4 KiB, then
  // doubling) rather than one small allocation each. Made one by one, those
  // made while a store restart piles up operations in flight land among the
  // burst's short-lived objects and keep their pages from being reused.
  static constexpr size_t kFirstBlockBytes = 4096;
  struct Stripe {
    std::mutex mu;
    std::pmr::monotonic_buffer_resource blocks{kFirstBlockBytes};
    std::pmr::unordered_map<int64_t, KeyState> keys{&blocks};  // Guarded by mu.
  };
  static constexpr size_t kStripes = 256;

  Stripe& stripe(int64_t key) { return stripes_[static_cast<uint64_t>(key) % kStripes]; }
  // REQUIRES: the key's stripe locked.
  KeyState& state(Stripe& stripe, int64_t key);
  void problem(bool corrupt, std::string text);

  const int64_t loaded_begin_, loaded_end_;
  std::array<Stripe, kStripes> stripes_;
  std::atomic<uint64_t> checked_{0}, lost_{0}, corrupt_{0};
  mutable std::mutex examples_mu_;
  std::vector<std::string> examples_;  // Guarded by examples_mu_.
};

}  // namespace tikvbench::workload
