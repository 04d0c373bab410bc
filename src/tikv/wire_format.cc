#include "tikv/wire_format.h"

#include <cstring>

namespace tikvbench::tikv::wire {

bool Reader::read_varint(uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at_ == end_) return false;
    const auto byte = static_cast<uint8_t>(*at_++);
    value |= uint64_t{byte & 0x7fu} << shift;
    if (byte < 0x80) return true;
  }
  return false;
}

bool Reader::next() {
  if (failed_ || at_ == end_) return false;
  uint64_t key = 0;
  if (!read_varint(key) || (key >> 3) == 0 || (key >> 3) > 0x1fffffff) return fail();
  field_ = static_cast<uint32_t>(key >> 3);
  type_ = static_cast<WireType>(key & 7);
  switch (type_) {
    case WireType::kVarint:
      if (!read_varint(number_)) return fail();
      return true;
    case WireType::kFixed64:
    case WireType::kFixed32: {
      const size_t width = type_ == WireType::kFixed64 ? 8 : 4;
      if (static_cast<size_t>(end_ - at_) < width) return fail();
      number_ = 0;
      std::memcpy(&number_, at_, width);  // little-endian hosts only, as protobuf assumes on x86/ARM
      at_ += width;
      return true;
    }
    case WireType::kLen: {
      uint64_t len = 0;
      if (!read_varint(len) || len > static_cast<uint64_t>(end_ - at_)) return fail();
      bytes_ = std::string_view(at_, static_cast<size_t>(len));
      at_ += len;
      return true;
    }
    default:
      return fail();
  }
}

}  // namespace tikvbench::tikv::wire
