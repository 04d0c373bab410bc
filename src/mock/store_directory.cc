#include "mock/store_directory.h"

namespace tikvbench::mock {

void StoreDirectory::put(const metapb::Store& store) {
  std::lock_guard lock(mu_);
  stores_[store.id()].meta = store;
}

std::optional<metapb::Store> StoreDirectory::get(uint64_t store_id) const {
  std::lock_guard lock(mu_);
  auto it = stores_.find(store_id);
  if (it == stores_.end()) return std::nullopt;
  return it->second.meta;
}

std::vector<metapb::Store> StoreDirectory::all() const {
  std::lock_guard lock(mu_);
  std::vector<metapb::Store> result;
  for (const auto& [id, entry] : stores_) result.push_back(entry.meta);
  return result;
}

std::vector<uint64_t> StoreDirectory::ids() const {
  std::lock_guard lock(mu_);
  std::vector<uint64_t> result;
  for (const auto& [id, entry] : stores_) result.push_back(id);
  return result;
}

void StoreDirectory::set_running(uint64_t store_id, bool running) {
  std::lock_guard lock(mu_);
  auto& entry = stores_[store_id];
  if (running) {
    entry.down_since.reset();
  } else if (!entry.down_since) {
    entry.down_since = std::chrono::steady_clock::now();
  }
}

bool StoreDirectory::running(uint64_t store_id) const {
  std::lock_guard lock(mu_);
  auto it = stores_.find(store_id);
  return it != stores_.end() && !it->second.down_since;
}

std::vector<uint64_t> StoreDirectory::down_ids() const {
  std::lock_guard lock(mu_);
  std::vector<uint64_t> result;
  for (const auto& [id, entry] : stores_) {
    if (entry.down_since) result.push_back(id);
  }
  return result;
}

std::optional<uint64_t> StoreDirectory::down_seconds(uint64_t store_id) const {
  std::lock_guard lock(mu_);
  auto it = stores_.find(store_id);
  if (it == stores_.end() || !it->second.down_since) return std::nullopt;
  const auto down = std::chrono::steady_clock::now() - *it->second.down_since;
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(down).count());
}

}  // namespace tikvbench::mock
