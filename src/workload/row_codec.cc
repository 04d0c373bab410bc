#include "workload/row_codec.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace tikvbench::workload {
namespace {

constexpr char kVarintFlag = 0x08;       // go-ycsb's varintFlag
constexpr char kCompactBytesFlag = 0x02;  // go-ycsb's compactBytesFlag
constexpr size_t kMaxVarintLen64 = 10;

// Go's binary.PutVarint: zigzag, then unsigned LEB128.
void append_varint(int64_t v, std::string* out) {
  uint64_t ux = static_cast<uint64_t>(v) << 1;
  if (v < 0) ux = ~ux;
  while (ux >= 0x80) {
    out->push_back(static_cast<char>((ux & 0x7F) | 0x80));
    ux >>= 7;
  }
  out->push_back(static_cast<char>(ux));
}

// Go's binary.Varint on row[*pos..]; advances *pos. Fails when the bytes run
// out or the value does not fit 64 bits.
Result<int64_t> read_varint(std::string_view row, size_t* pos) {
  uint64_t x = 0;
  unsigned shift = 0;
  for (size_t i = 0; *pos + i < row.size(); ++i) {
    if (i == kMaxVarintLen64) break;
    const auto b = static_cast<uint8_t>(row[*pos + i]);
    if (b < 0x80) {
      if (i == kMaxVarintLen64 - 1 && b > 1) break;
      x |= uint64_t{b} << shift;
      *pos += i + 1;
      const auto v = static_cast<int64_t>(x >> 1);
      return (x & 1) != 0 ? ~v : v;
    }
    x |= uint64_t{b & 0x7Fu} << shift;
    shift += 7;
  }
  if (*pos + kMaxVarintLen64 <= row.size()) {
    return Status(StatusCode::kInvalidArgument, fmt::format("row: varint at byte {} is longer than 64 bits", *pos));
  }
  return Status(StatusCode::kInvalidArgument, fmt::format("row: truncated varint at byte {}", *pos));
}

}  // namespace

void append_row(std::span<const RowColumn> columns, std::string* out) {
  if (columns.empty()) {
    out->push_back('\0');
    return;
  }
  for (const auto& column : columns) {
    out->push_back(kVarintFlag);
    append_varint(column.id, out);
    out->push_back(kCompactBytesFlag);
    append_varint(static_cast<int64_t>(column.value.size()), out);
    out->append(column.value);
  }
}

std::string encode_row(std::span<const RowColumn> columns) {
  size_t size = 1;
  for (const auto& column : columns) size += 2 + 2 * kMaxVarintLen64 + column.value.size();
  std::string out;
  out.reserve(size);
  append_row(columns, &out);
  return out;
}

Result<std::vector<RowColumn>> decode_row(std::string_view row) {
  std::vector<RowColumn> columns;
  if (row.empty() || (row.size() == 1 && row[0] == '\0')) return columns;
  size_t pos = 0;
  while (pos < row.size()) {
    if (row[pos] != kVarintFlag) {
      return Status(StatusCode::kInvalidArgument,
                    fmt::format("row: byte {} is {:#04x}, not the column id flag 0x08", pos,
                                static_cast<uint8_t>(row[pos])));
    }
    ++pos;
    auto id = read_varint(row, &pos);
    if (!id.ok()) return id.status();
    if (pos >= row.size()) return Status(StatusCode::kInvalidArgument, fmt::format("row: truncated at byte {}", pos));
    if (row[pos] != kCompactBytesFlag) {
      return Status(StatusCode::kInvalidArgument,
                    fmt::format("row: byte {} is {:#04x}, not the bytes flag 0x02", pos,
                                static_cast<uint8_t>(row[pos])));
    }
    ++pos;
    const size_t length_at = pos;
    auto length = read_varint(row, &pos);
    if (!length.ok()) return length.status();
    if (*length < 0 || static_cast<uint64_t>(*length) > row.size() - pos) {
      return Status(StatusCode::kInvalidArgument,
                    fmt::format("row: value length {} at byte {} runs past the end ({} bytes left)", *length,
                                length_at, row.size() - pos));
    }
    const auto n = static_cast<size_t>(*length);
    columns.push_back(RowColumn{*id, row.substr(pos, n)});
    pos += n;
  }
  return columns;
}

std::string field_name(int64_t id) { return fmt::format("field{}", id); }

std::optional<int64_t> field_id(std::string_view name) {
  constexpr std::string_view kPrefix = "field";
  if (!name.starts_with(kPrefix)) return std::nullopt;
  const std::string_view digits = name.substr(kPrefix.size());
  if (digits.empty() || digits[0] < '0' || digits[0] > '9') return std::nullopt;
  if (digits.size() > 1 && digits[0] == '0') return std::nullopt;
  int64_t id = 0;
  const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (result.ec != std::errc() || result.ptr != digits.data() + digits.size()) return std::nullopt;
  return id;
}

Result<std::string> encode_fields(const FieldMap& fields) {
  std::vector<RowColumn> columns;
  columns.reserve(fields.size());
  for (const auto& [name, value] : fields) {
    const auto id = field_id(name);
    if (!id) return Status(StatusCode::kInvalidArgument, fmt::format("row: '{}' is not a field name (fieldN)", name));
    columns.push_back(RowColumn{*id, value});
  }
  std::sort(columns.begin(), columns.end(), [](const RowColumn& a, const RowColumn& b) { return a.id < b.id; });
  return encode_row(columns);
}

Result<FieldMap> decode_fields(std::string_view row, std::span<const std::string> wanted) {
  auto columns = decode_row(row);
  if (!columns.ok()) return columns.status();
  FieldMap fields;
  for (const auto& column : *columns) {
    std::string name = field_name(column.id);
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), name) == wanted.end()) continue;
    fields.insert_or_assign(std::move(name), std::string(column.value));
  }
  return fields;
}

}  // namespace tikvbench::workload
