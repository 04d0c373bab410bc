// TiKV's memcomparable byte encoding (tidb's codec.EncodeBytes): the key in
// groups of 8 bytes, each padded with zeros and followed by a marker byte
// 0xFF minus the padding, so encoded keys sort as the raw keys do. API v2
// region boundaries (in PD, and in TiKV's region errors) are encoded so.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tikvbench {

std::string encode_memcomparable(std::string_view key);
// The raw key, or nullopt when `encoded` is not a valid encoding.
std::optional<std::string> decode_memcomparable(std::string_view encoded);

}  // namespace tikvbench
