// Protocol Buffers' wire format by hand, the little the hot path needs to
// write BatchCommands messages and read their replies without building
// protobuf messages: varints, field tags, length-delimited fields, and a
// reader over a message's fields. The layout follows the encoding spec
// (https://protobuf.dev/programming-guides/encoding/); field numbers come
// from kvproto (src/proto/*.proto).
//
// Thread safety: free functions on caller-owned memory; a Reader belongs to
// one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tikvbench::tikv::wire {

enum class WireType : uint8_t { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

// Bytes of `value` as a varint (1 to 10).
constexpr size_t varint_size(uint64_t value) {
  size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

// Writes `value` as a varint at `out`; returns the end of what it wrote.
inline char* put_varint(char* out, uint64_t value) {
  while (value >= 0x80) {
    *out++ = static_cast<char>(static_cast<uint8_t>(value) | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<char>(value);
  return out;
}

constexpr uint64_t tag(uint32_t field, WireType type) {
  return (uint64_t{field} << 3) | static_cast<uint64_t>(type);
}

// Bytes of a length-delimited field `field` holding `len` bytes.
constexpr size_t len_field_size(uint32_t field, size_t len) {
  return varint_size(tag(field, WireType::kLen)) + varint_size(len) + len;
}

// Writes the tag and length of a length-delimited field; its `len` bytes
// follow. Returns where they go.
inline char* put_len_header(char* out, uint32_t field, size_t len) {
  return put_varint(put_varint(out, tag(field, WireType::kLen)), len);
}

// Reads the fields of one message in order:
//   wire::Reader reader(bytes);
//   while (reader.next()) { if (reader.field() == 1) use(reader.bytes()); }
//   if (reader.failed()) ...;
// Groups (wire types 3 and 4) are not supported: they fail the read.
class Reader {
 public:
  explicit Reader(std::string_view message) : at_(message.data()), end_(message.data() + message.size()) {}

  // Moves to the next field; false at the end or on malformed input.
  bool next();
  bool failed() const { return failed_; }

  uint32_t field() const { return field_; }
  WireType type() const { return type_; }
  // The value of a varint field (fixed ones too, little-endian).
  uint64_t number() const { return number_; }
  // The payload of a length-delimited field.
  std::string_view bytes() const { return bytes_; }

 private:
  bool fail() {
    failed_ = true;
    return false;
  }
  bool read_varint(uint64_t& value);

  const char* at_;
  const char* end_;
  bool failed_ = false;
  uint32_t field_ = 0;
  WireType type_ = WireType::kVarint;
  uint64_t number_ = 0;
  std::string_view bytes_;
};

// Calls f(value) for each varint of a packed repeated field's payload.
// Returns false on malformed input.
template <class F>
bool for_each_packed_varint(std::string_view payload, F f) {
  uint64_t value = 0;
  int shift = 0;
  for (char c : payload) {
    const auto byte = static_cast<uint8_t>(c);
    if (shift > 63) return false;
    value |= uint64_t{byte & 0x7fu} << shift;
    if (byte < 0x80) {
      f(value);
      value = 0;
      shift = 0;
    } else {
      shift += 7;
    }
  }
  return shift == 0;
}

}  // namespace tikvbench::tikv::wire
