// The operation types a run measures, in report order. Names are lower
// case, as in the JSON report: read, update, insert, scan,
// read_modify_write, delete, batch_get, batch_put.
//
// Thread safety: constants only.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace tikvbench::measure {

enum class OpType { kRead, kUpdate, kInsert, kScan, kReadModifyWrite, kDelete, kBatchGet, kBatchPut };
inline constexpr size_t kOpTypeCount = 8;
inline constexpr std::array<std::string_view, kOpTypeCount> kOpTypeNames = {
    "read", "update", "insert", "scan", "read_modify_write", "delete", "batch_get", "batch_put"};
inline std::string_view op_name(OpType op) { return kOpTypeNames[static_cast<size_t>(op)]; }

}  // namespace tikvbench::measure
