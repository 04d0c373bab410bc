#include "report/json_field.h"

#include <cstdint>
#include <limits>

#include <fmt/format.h>

namespace tikvbench::report {

using nlohmann::json;

double number(const json* j) {
  return j != nullptr && j->is_number() ? j->get<double>() : std::numeric_limits<double>::quiet_NaN();
}
double number(const json* j, std::string_view key) { return number(field(j, key)); }

std::string text(const json* j) {
  if (j == nullptr || j->is_null()) return "";
  if (j->is_string()) return j->get<std::string>();
  if (j->is_boolean()) return j->get<bool>() ? "true" : "false";
  if (j->is_number_unsigned()) return fmt::format("{}", j->get<uint64_t>());
  if (j->is_number_integer()) return fmt::format("{}", j->get<int64_t>());
  if (j->is_number()) return fmt::format("{:g}", j->get<double>());
  if (j->is_array()) {
    std::string out;
    for (const auto& item : *j) out += (out.empty() ? "" : ", ") + text(&item);
    return out;
  }
  return j->dump(-1, ' ', false, json::error_handler_t::replace);
}
std::string text(const json* j, std::string_view key) { return text(field(j, key)); }

const json& items(const json* j) {
  static const json kEmpty = json::array();
  return j != nullptr && (j->is_array() || j->is_object()) ? *j : kEmpty;
}

}  // namespace tikvbench::report
