// go-ycsb's row encoding: the value its TiKV raw driver stores for a record
// (RowCodec.Encode over EncodeRow in go-ycsb's pkg/util, "a simplified and
// specialized version of TiDB's tablecodec.EncodeRow"). A record's fields
// are named "field0" .. "field<fieldcount-1>"; field N is column id N. A row
// is, for each column:
//
//   0x08, varint(column id), 0x02, varint(len(value)), value bytes
//
// where varint is Go's encoding/binary PutVarint (zigzag, then 7 bits a
// byte, low bits first, high bit set on all but the last byte). A row with
// no columns is the single byte 0x00.
//
// go-ycsb encodes the columns in Go map iteration order, which is random
// from one call to the next; the encoding here writes them in the order
// given, so its bytes equal one of the orders go-ycsb may write, and every
// go-ycsb row decodes here whatever its order. Decoding is stricter than
// go-ycsb's DecodeRow, which ignores the two flag bytes and panics on a
// truncated row: here a wrong flag, a truncated varint or value, or a varint
// longer than 64 bits is an error value.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace tikvbench::workload {

// One column of a row. `value` views memory the caller owns: the input of
// encode_row, or the row given to decode_row.
struct RowColumn {
  int64_t id = 0;
  std::string_view value;

  bool operator==(const RowColumn&) const = default;
};

// Appends the encoding of `columns`, in the order given, to `*out`.
void append_row(std::span<const RowColumn> columns, std::string* out);

// Returns the encoding of `columns`, in the order given.
std::string encode_row(std::span<const RowColumn> columns);

// Returns the columns of `row` in stored order; their values view into
// `row`. A column id given twice appears twice. Fails with kInvalidArgument
// naming the byte offset when `row` is not a go-ycsb row.
Result<std::vector<RowColumn>> decode_row(std::string_view row);

// Returns "field<id>", go-ycsb's name for column `id`.
std::string field_name(int64_t id);

// Returns N for "fieldN" (N a decimal int64 without sign or leading zeros,
// as go-ycsb's fmt.Sprintf("field%d", i) writes it), nullopt otherwise.
std::optional<int64_t> field_id(std::string_view name);

// A record by field name, as go-ycsb's RowCodec.Encode and Decode take and
// return it.
using FieldMap = std::map<std::string, std::string, std::less<>>;

// Returns the encoding of `fields` with columns in id order (field0,
// field1, ..., field10). go-ycsb maps a name that is not "fieldN" to
// column 0; here such a name fails with kInvalidArgument.
Result<std::string> encode_fields(const FieldMap& fields);

// Decodes `row` into field name -> value, keeping only the fields named in
// `wanted` (all of them when `wanted` is empty), as go-ycsb's
// RowCodec.Decode(row, fields). A column stored twice keeps its last value.
// Fails as decode_row.
Result<FieldMap> decode_fields(std::string_view row, std::span<const std::string> wanted = {});

}  // namespace tikvbench::workload
