// RunStore keeps what the shards of one distributed run share in the cluster
// under test itself, so that a Kubernetes Job needs no volume: raw keys under
// "tikv-bench/RUN_ID/". Layout:
//   tikv-bench/ID/loaded/IIIII           a shard finished its load (the barrier)
//   tikv-bench/ID/shard/IIIII/NAME       a shard's file NAME ("hlog", "json"):
//                                        its size and chunk count, then
//   tikv-bench/ID/shard/IIIII/NAME/CCCCC the file in chunks of 512 KiB
// (IIIII, CCCCC: five-digit decimals, so keys sort as numbers do).
//
// Every call blocks the calling thread while its requests run on the
// client's event loops: call it from the command's thread, never from a
// loop. Failures come back as Status values with the cluster's message.
//
// Lifetime: `client` must outlive the store.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "tikv/cluster_client.h"
#include "util/status.h"

namespace tikvbench::cli {

class RunStore {
 public:
  // Throws std::invalid_argument for an empty run id or one with '/'.
  RunStore(tikv::ClusterClient& client, std::string run_id);

  const std::string& run_id() const { return run_id_; }

  // Marks shard `shard` as loaded.
  Status mark_loaded(size_t shard);
  // The shards marked as loaded so far.
  Result<std::vector<size_t>> loaded() const;
  // Waits until `shards` shards are marked loaded, polling every
  // `poll`; `on_wait(loaded, shards)` is told each time the count changes.
  // Fails with kTimeout after `timeout`.
  template <class OnWait>
  Status wait_for_loads(size_t shards, std::chrono::nanoseconds timeout, std::chrono::nanoseconds poll,
                        OnWait on_wait);

  // Stores `text` as shard `shard`'s file `name`, replacing an earlier one.
  Status put_file(size_t shard, const std::string& name, const std::string& text);
  // Every shard's file `name`, by shard.
  Result<std::map<size_t, std::string>> files(const std::string& name) const;

  // Removes every key of the run.
  Status remove_all();

 private:
  std::string key(const std::string& rest) const { return prefix_ + rest; }

  tikv::ClusterClient& client_;
  const std::string run_id_;
  const std::string prefix_;  // "tikv-bench/ID/"
};

template <class OnWait>
Status RunStore::wait_for_loads(size_t shards, std::chrono::nanoseconds timeout, std::chrono::nanoseconds poll,
                                OnWait on_wait) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<size_t> reported;
  for (;;) {
    auto done = loaded();
    if (!done.ok()) return done.status();
    if (done->size() >= shards) return Status();
    if (!reported || *reported != done->size()) {
      reported = done->size();
      on_wait(*done, shards);
    }
    if (std::chrono::steady_clock::now() + poll > deadline) {
      return Status(StatusCode::kTimeout, fmt::format("{} of {} shards finished their load", done->size(), shards));
    }
    std::this_thread::sleep_for(poll);
  }
}

}  // namespace tikvbench::cli
