#include "workload/verified_value.h"

#include <zlib.h>

namespace tikvbench::workload {
namespace {

uint32_t checksum(std::string_view key, std::string_view version_bytes, std::string_view payload) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(key.data()), static_cast<uInt>(key.size()));
  crc = crc32(crc, reinterpret_cast<const Bytef*>(version_bytes.data()), static_cast<uInt>(version_bytes.size()));
  crc = crc32(crc, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size()));
  return static_cast<uint32_t>(crc);
}

void put_le(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t get_le(std::string_view in, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value |= static_cast<uint64_t>(static_cast<uint8_t>(in[static_cast<size_t>(i)])) << (8 * i);
  return value;
}

}  // namespace

std::string seal_value(std::string_view key, uint64_t version, std::string_view payload) {
  std::string out;
  out.reserve(kVerifiedHeaderSize + payload.size());
  put_le(out, version, 8);
  put_le(out, checksum(key, std::string_view(out).substr(0, 8), payload), 4);
  out.append(payload);
  return out;
}

OpenedValue open_value(std::string_view key, std::string_view value) {
  if (value.size() < kVerifiedHeaderSize) return {};
  const auto stored = static_cast<uint32_t>(get_le(value.substr(8, 4), 4));
  if (stored != checksum(key, value.substr(0, 8), value.substr(kVerifiedHeaderSize))) return {};
  return {true, get_le(value.substr(0, 8), 8)};
}

}  // namespace tikvbench::workload
