#include "tikv/key_codec.h"

#include <cassert>
#include <utility>

#include "util/memcomparable.h"

namespace tikvbench::tikv {
namespace {

std::string keyspace_prefix(char mode, uint32_t id) {
  std::string prefix(1, mode);
  prefix.push_back(static_cast<char>((id >> 16) & 0xff));
  prefix.push_back(static_cast<char>((id >> 8) & 0xff));
  prefix.push_back(static_cast<char>(id & 0xff));
  return prefix;
}

}  // namespace

KeyCodec::KeyCodec(kvrpcpb::APIVersion version, uint32_t keyspace_id) : version_(version), keyspace_id_(keyspace_id) {
  assert(keyspace_id < (1u << 24));
  if (v2()) {
    prefix_ = keyspace_prefix('r', keyspace_id);
    prefix_end_ = keyspace_id + 1 < (1u << 24) ? keyspace_prefix('r', keyspace_id + 1) : std::string("s");
  }
}

std::string KeyCodec::encode_key(std::string_view key) const {
  if (!v2()) return std::string(key);
  std::string out = prefix_;
  out.append(key);
  return out;
}

std::string KeyCodec::encode_owned_key(std::string key) const {
  if (v2()) key.insert(0, prefix_);
  return key;
}

std::string KeyCodec::decode_key(std::string_view key) const {
  if (v2() && key.starts_with(prefix_)) key.remove_prefix(prefix_.size());
  return std::string(key);
}

std::string KeyCodec::encode_start(std::string_view start) const {
  return v2() && start.empty() ? prefix_ : encode_key(start);
}

std::string KeyCodec::encode_end(std::string_view end) const {
  if (end.empty()) return v2() ? prefix_end_ : std::string();
  return encode_key(end);
}

std::string KeyCodec::encode_region_key(std::string_view key) const {
  if (!v2() || key.empty()) return std::string(key);
  return encode_memcomparable(key);
}

std::string KeyCodec::decode_region_key(std::string_view key) const {
  if (!v2() || key.empty()) return std::string(key);
  // A boundary that is not a valid encoding still orders correctly enough
  // to keep as is; PD only produces valid ones.
  auto decoded = decode_memcomparable(key);
  return decoded ? *decoded : std::string(key);
}

}  // namespace tikvbench::tikv
