#include "cli/run_store.h"

#include <algorithm>
#include <future>

#include <asio/co_spawn.hpp>
#include <asio/use_future.hpp>

namespace tikvbench::cli {
namespace {

constexpr size_t kChunk = 512 * 1024;
constexpr uint32_t kScanLimit = 10'000;

std::string number(size_t n) { return fmt::format("{:05}", n); }

// Runs `task` on the client's first loop and waits for its result.
template <class T>
T wait_for(tikv::ClusterClient& client, asio::awaitable<T> task) {
  return asio::co_spawn(client.loops().executor(0), std::move(task), asio::use_future).get();
}

// The key just past every key that starts with `prefix`.
std::string prefix_end(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

}  // namespace

RunStore::RunStore(tikv::ClusterClient& client, std::string run_id)
    : client_(client), run_id_(std::move(run_id)), prefix_("tikv-bench/" + run_id_ + "/") {
  if (run_id_.empty() || run_id_.find('/') != std::string::npos) {
    throw std::invalid_argument(fmt::format("--run-id: '{}' must be a non-empty name without '/'", run_id_));
  }
}

Status RunStore::mark_loaded(size_t shard) {
  return wait_for(client_, client_.raw().put(key("loaded/" + number(shard)), "1"));
}

Result<std::vector<size_t>> RunStore::loaded() const {
  const auto start = key("loaded/");
  auto pairs = wait_for(client_, client_.raw().scan(start, prefix_end(start), kScanLimit, /*key_only=*/true));
  if (!pairs.ok()) return pairs.status();
  std::vector<size_t> shards;
  for (const auto& pair : *pairs) shards.push_back(std::stoul(pair.key.substr(start.size())));
  std::sort(shards.begin(), shards.end());
  return shards;
}

Status RunStore::put_file(size_t shard, const std::string& name, const std::string& text) {
  const auto base = key("shard/" + number(shard) + "/" + name);
  const size_t chunks = (text.size() + kChunk - 1) / kChunk;
  for (size_t i = 0; i < chunks; ++i) {
    auto status = wait_for(client_, client_.raw().put(base + "/" + number(i), text.substr(i * kChunk, kChunk)));
    if (!status.ok()) return status;
  }
  // The manifest last: a reader never sees a file whose chunks are missing.
  return wait_for(client_, client_.raw().put(base, fmt::format("{} {}", text.size(), chunks)));
}

Result<std::map<size_t, std::string>> RunStore::files(const std::string& name) const {
  const auto start = key("shard/");
  auto pairs = wait_for(client_, client_.raw().scan(start, prefix_end(start), kScanLimit));
  if (!pairs.ok()) return pairs.status();
  // Manifests are the keys "shard/IIIII/NAME"; chunks follow them in key order.
  std::map<std::string, std::string> by_key;
  for (auto& pair : *pairs) by_key.emplace(std::move(pair.key), std::move(pair.value));
  std::map<size_t, std::string> out;
  for (const auto& [k, manifest] : by_key) {
    const auto rest = k.substr(start.size());  // IIIII/NAME or IIIII/NAME/CCCCC
    const auto slash = rest.find('/');
    if (slash == std::string::npos || rest.substr(slash + 1) != name) continue;
    size_t size = 0, chunks = 0;
    if (std::sscanf(manifest.c_str(), "%zu %zu", &size, &chunks) != 2) {
      return Status(StatusCode::kInternal, fmt::format("{}: not a tikv-bench manifest", k));
    }
    std::string text;
    for (size_t i = 0; i < chunks; ++i) {
      const auto chunk = by_key.find(k + "/" + number(i));
      if (chunk == by_key.end()) return Status(StatusCode::kInternal, fmt::format("{}: chunk {} is missing", k, i));
      text += chunk->second;
    }
    if (text.size() != size) return Status(StatusCode::kInternal, fmt::format("{}: {} bytes, not {}", k, text.size(), size));
    out.emplace(std::stoul(rest.substr(0, slash)), std::move(text));
  }
  return out;
}

Status RunStore::remove_all() {
  return wait_for(client_, client_.raw().delete_range(prefix_, prefix_end(prefix_)));
}

}  // namespace tikvbench::cli
