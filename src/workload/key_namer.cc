#include "workload/key_namer.h"

#include <charconv>

#include "util/fnv_hash.h"

namespace tikvbench::workload {
namespace {

// Writes the decimal digits of |n| to `digits` (20 bytes) and returns
// whether n is negative. INT64_MIN has no positive int64, so the magnitude
// is taken as unsigned.
bool format_magnitude(int64_t n, char* digits, size_t* length) {
  const bool negative = n < 0;
  const uint64_t magnitude = negative ? uint64_t{0} - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  const auto result = std::to_chars(digits, digits + 20, magnitude);
  *length = static_cast<size_t>(result.ptr - digits);
  return negative;
}

}  // namespace

KeyNamer::KeyNamer(const KeyspaceSpec& keyspace)
    : prefix_(keyspace.key_prefix),
      row_prefix_(keyspace.table + ":"),
      zero_padding_(keyspace.zero_padding < 0 ? 0 : keyspace.zero_padding),
      hashed_(keyspace.hashed),
      style_(keyspace.style) {}

void KeyNamer::append_name(int64_t key_number, std::string* out) const {
  int64_t n = key_number;
  if (hashed_) n = style_ == KeyStyle::kGoYcsb ? fnv_hash64(n) : java_fnv_hash64(n);
  char digits[20];
  size_t length = 0;
  const bool negative = format_magnitude(n, digits, &length);
  const size_t printed = length + (negative ? 1 : 0);
  const size_t zeros = static_cast<size_t>(zero_padding_) > printed ? static_cast<size_t>(zero_padding_) - printed : 0;
  out->reserve(out->size() + prefix_.size() + zeros + printed);
  out->append(prefix_);
  if (style_ == KeyStyle::kGoYcsb) {
    // Go's %0*d: the sign, then the zeros, then the digits.
    if (negative) out->push_back('-');
    out->append(zeros, '0');
  } else {
    // Java: the zeros go in front of Long.toString(n), sign and all.
    out->append(zeros, '0');
    if (negative) out->push_back('-');
  }
  out->append(digits, length);
}

std::string KeyNamer::name(int64_t key_number) const {
  std::string out;
  append_name(key_number, &out);
  return out;
}

std::string KeyNamer::row_key(int64_t key_number) const {
  std::string out = row_prefix_;
  append_name(key_number, &out);
  return out;
}

}  // namespace tikvbench::workload
