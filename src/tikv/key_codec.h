// KeyCodec maps the caller's keys to the keys TiKV stores and PD routes by,
// as client-go's API codecs do:
//   API v1: keys go through unchanged.
//   API v2: a raw key gets the keyspace prefix 'r' + the keyspace id in 3
//           bytes (big-endian); region boundaries (PD, region errors) are
//           those keys in memcomparable encoding.
// The region cache and the transports work on TiKV keys; RawClient encodes
// at its API boundary; CodecPdClient encodes what goes to PD.
//
// Thread safety: immutable after construction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kvrpcpb.pb.h"

namespace tikvbench::tikv {

class KeyCodec {
 public:
  // REQUIRES: keyspace_id < 2^24.
  explicit KeyCodec(kvrpcpb::APIVersion version = kvrpcpb::V1, uint32_t keyspace_id = 0);

  kvrpcpb::APIVersion version() const { return version_; }
  uint32_t keyspace_id() const { return keyspace_id_; }
  bool v2() const { return version_ == kvrpcpb::V2; }

  // A caller's key as TiKV stores it. encode_owned_key reuses the key's
  // buffer: in v1 the key is the answer, with no copy per request.
  std::string encode_key(std::string_view key) const;
  std::string encode_owned_key(std::string key) const;
  // Back to the caller's key (strips the prefix); keys outside the keyspace
  // come back unchanged.
  std::string decode_key(std::string_view key) const;
  // The TiKV keys bounding a caller's [start, end): empty ends mean the
  // keyspace's own bounds (in v1, no bound: empty).
  std::string encode_start(std::string_view start) const;
  std::string encode_end(std::string_view end) const;

  // A TiKV key as PD and region errors spell region boundaries, and back.
  // Empty stays empty (the keyspace's very start or end).
  std::string encode_region_key(std::string_view key) const;
  std::string decode_region_key(std::string_view key) const;

 private:
  kvrpcpb::APIVersion version_;
  uint32_t keyspace_id_;
  std::string prefix_;      // v2: 'r' + 3 bytes
  std::string prefix_end_;  // v2: the next keyspace's prefix
};

}  // namespace tikvbench::tikv
