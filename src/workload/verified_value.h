// The value format of `--verify` runs: every stored value carries the
// version of the write that stored it and a checksum over the key, that
// version and the payload, so a read can tell a stale value (an older
// version) from a corrupt one (bytes that do not match) from a value stored
// under another key.
//
//   bytes 0..7   version, little endian
//   bytes 8..11  CRC-32 (zlib's) of key, version bytes and payload
//   bytes 12..   payload (the workload's value bytes)
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tikvbench::workload {

inline constexpr size_t kVerifiedHeaderSize = 12;

// Returns `payload` wrapped with `version` and the checksum for `key`.
std::string seal_value(std::string_view key, uint64_t version, std::string_view payload);

// What a read found in a sealed value.
struct OpenedValue {
  bool intact = false;   // the checksum matches `key`
  uint64_t version = 0;  // meaningful only when intact
};
// Checks `value` as stored under `key`. Too short to hold a header: not
// intact.
OpenedValue open_value(std::string_view key, std::string_view value);

}  // namespace tikvbench::workload
