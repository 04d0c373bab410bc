// Reading a saved run's JSON document without throwing: a missing, null or
// odd field reads as absent. Shared by the summary, the HTML report and its
// time series.
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

// The number `j` holds, or NaN when it holds none.
double number(const nlohmann::json* j);
double number(const nlohmann::json* j, std::string_view key);

// `j` as display text: a string as it is, true/false, a number as written,
// an array's items joined with ", ", "" for null or missing.
std::string text(const nlohmann::json* j);
std::string text(const nlohmann::json* j, std::string_view key);

// `j` when it is an array or an object (to iterate), else an empty array.
const nlohmann::json& items(const nlohmann::json* j);

}  // namespace tikvbench::report
