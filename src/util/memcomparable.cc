#include "util/memcomparable.h"

namespace tikvbench {
namespace {

constexpr size_t kGroup = 8;
constexpr unsigned char kMarker = 0xFF;

}  // namespace

std::string encode_memcomparable(std::string_view key) {
  std::string out;
  out.reserve((key.size() / kGroup + 1) * (kGroup + 1));
  for (size_t i = 0; i <= key.size(); i += kGroup) {
    const size_t left = key.size() - i;
    const size_t take = left < kGroup ? left : kGroup;
    out.append(key.substr(i, take));
    const size_t pad = kGroup - take;
    out.append(pad, '\0');
    out.push_back(static_cast<char>(kMarker - pad));
    if (take < kGroup) break;  // the padded group ends the key
  }
  return out;
}

std::optional<std::string> decode_memcomparable(std::string_view encoded) {
  std::string out;
  for (size_t i = 0;; i += kGroup + 1) {
    if (i + kGroup + 1 > encoded.size()) return std::nullopt;
    const auto marker = static_cast<unsigned char>(encoded[i + kGroup]);
    const size_t pad = kMarker - marker;
    if (pad > kGroup) return std::nullopt;
    out.append(encoded.substr(i, kGroup - pad));
    for (size_t j = kGroup - pad; j < kGroup; ++j) {
      if (encoded[i + j] != '\0') return std::nullopt;
    }
    if (pad > 0) {
      if (i + kGroup + 1 != encoded.size()) return std::nullopt;  // trailing bytes
      return out;
    }
  }
}

}  // namespace tikvbench
