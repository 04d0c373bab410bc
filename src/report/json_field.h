// Reading a saved run's JSON document without throwing: a missing, null or
// odd field reads as absent. Shared by the summary and the HTML report.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tikvbench::report {

// The member `key` of object `j`, or null when `j` is not an object or the
// member is missing or null.
inline const nlohmann::json* field(const nlohmann::json* j, std::string_view key) {
  if (j == nullptr || !j->is_object()) return nullptr;
  const auto it = j->find(std::string(key));
  return it == j->end() || it->is_null() ? nullptr : &*it;
}

}  // namespace tikvbench::report
