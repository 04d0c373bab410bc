#include "mock/chaos_spec.h"

#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "util/duration.h"

namespace tikvbench::mock {

ChaosSpec parse_chaos(std::string_view text) {
  ChaosSpec spec;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) {
      throw std::invalid_argument(fmt::format("chaos item '{}' is not KEY=VALUE", item));
    }
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    try {
      if (key == "split") spec.split = parse_duration(value);
      else if (key == "transfer-leader") spec.transfer_leader = parse_duration(value);
      else if (key == "restart-store") spec.restart_store = parse_duration(value);
      else if (key == "pd-leader") spec.pd_leader = parse_duration(value);
      else if (key == "downtime") spec.downtime = parse_duration(value);
      else if (key == "busy") spec.busy = parse_fraction(value);
      else {
        throw std::invalid_argument(fmt::format(
            "unknown chaos key '{}' (split, transfer-leader, restart-store, downtime, pd-leader, busy)", key));
      }
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("chaos '{}': {}", item, e.what()));
    }
  }
  return spec;
}

std::string ChaosSpec::to_string() const {
  std::vector<std::string> items;
  if (split.count()) items.push_back("split=" + format_duration(split));
  if (transfer_leader.count()) items.push_back("transfer-leader=" + format_duration(transfer_leader));
  if (restart_store.count()) {
    items.push_back("restart-store=" + format_duration(restart_store));
    items.push_back("downtime=" + format_duration(downtime));
  }
  if (pd_leader.count()) items.push_back("pd-leader=" + format_duration(pd_leader));
  if (busy > 0) items.push_back(fmt::format("busy={:g}%", busy * 100));
  return items.empty() ? "none" : fmt::format("{}", fmt::join(items, ","));
}

}  // namespace tikvbench::mock
