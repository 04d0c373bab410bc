#include "mock/keyspace_directory.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

namespace tikvbench::mock {
namespace {

// API v2 keyspace ids take 3 bytes of the key prefix.
constexpr uint32_t kMaxKeyspaceId = 0xFFFFFF;

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

keyspacepb::KeyspaceMeta make_meta(const std::string& name, uint32_t id) {
  keyspacepb::KeyspaceMeta meta;
  meta.set_id(id);
  meta.set_name(name);
  meta.set_state(keyspacepb::ENABLED);
  meta.set_created_at(now_seconds());
  meta.set_state_changed_at(meta.created_at());
  return meta;
}

}  // namespace

KeyspaceSpec parse_keyspace_spec(const std::string& text) {
  const auto eq = text.find('=');
  KeyspaceSpec spec{text.substr(0, eq), std::nullopt};
  if (spec.name.empty()) throw std::invalid_argument(fmt::format("--keyspace '{}': a name is needed", text));
  if (eq != std::string::npos) {
    const std::string id_text = text.substr(eq + 1);
    uint32_t id = 0;
    const auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
    if (ec != std::errc{} || end != id_text.data() + id_text.size() || id_text.empty()) {
      throw std::invalid_argument(fmt::format("--keyspace '{}': the id must be a number", text));
    }
    spec.id = id;
  }
  return spec;
}

std::optional<keyspacepb::KeyspaceState> parse_keyspace_state(const std::string& text) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "enabled") return keyspacepb::ENABLED;
  if (lower == "disabled") return keyspacepb::DISABLED;
  if (lower == "archived") return keyspacepb::ARCHIVED;
  if (lower == "tombstone") return keyspacepb::TOMBSTONE;
  return std::nullopt;
}

std::vector<keyspacepb::KeyspaceMeta> keyspace_metas(const std::vector<KeyspaceSpec>& keyspaces) {
  std::set<uint32_t> ids{0};
  std::set<std::string> names{"DEFAULT"};
  for (const auto& spec : keyspaces) {
    if (spec.id && *spec.id > kMaxKeyspaceId) {
      throw std::invalid_argument(
          fmt::format("--keyspace {}={}: ids go up to {}", spec.name, *spec.id, kMaxKeyspaceId));
    }
    if (!names.insert(spec.name).second) {
      throw std::invalid_argument(fmt::format("--keyspace {}: the name is taken", spec.name));
    }
    if (spec.id && !ids.insert(*spec.id).second) {
      throw std::invalid_argument(fmt::format("--keyspace {}: id {} is taken", spec.name, *spec.id));
    }
  }
  // Named ids are taken first, so that picked ones never take them.
  std::vector<keyspacepb::KeyspaceMeta> metas{make_meta("DEFAULT", 0)};
  for (const auto& spec : keyspaces) {
    uint32_t id = 1;
    if (spec.id) {
      id = *spec.id;
    } else {
      while (ids.count(id)) ++id;
      ids.insert(id);
    }
    metas.push_back(make_meta(spec.name, id));
  }
  return metas;
}

KeyspaceDirectory::KeyspaceDirectory(const std::vector<KeyspaceSpec>& keyspaces) {
  for (auto& meta : keyspace_metas(keyspaces)) by_name_.emplace(meta.name(), std::move(meta));
}

std::vector<keyspacepb::KeyspaceMeta> KeyspaceDirectory::all() const {
  std::lock_guard lock(mu_);
  std::vector<keyspacepb::KeyspaceMeta> out;
  for (const auto& [name, meta] : by_name_) out.push_back(meta);
  return out;
}

std::string KeyspaceDirectory::set_state(const std::string& name, keyspacepb::KeyspaceState state) {
  std::lock_guard lock(mu_);
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) return fmt::format("keyspace {} not found", name);
  it->second.set_state(state);
  it->second.set_state_changed_at(now_seconds());
  return {};
}

std::optional<keyspacepb::KeyspaceMeta> KeyspaceDirectory::find(const std::string& name) const {
  std::lock_guard lock(mu_);
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

}  // namespace tikvbench::mock
