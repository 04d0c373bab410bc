#include "report/slowest_store.h"

#include <fmt/format.h>

#include "report/summary.h"

namespace tikvbench::report {

std::optional<SlowestStore> slowest_store(const measure::Figures& figures, double ratio) {
  std::optional<SlowestStore> found;
  for (size_t i = 0; i < measure::kOpTypeCount; ++i) {
    std::optional<std::pair<uint64_t, int64_t>> slow, fast;
    for (const auto& [id, store] : figures.stores) {
      const auto& op = store.ops[i];
      if (op.count < kMinStoreSuccesses || !op.ok_intended) continue;
      const int64_t p99 = std::max<int64_t>(1, op.ok_intended->value_at_percentile(99));
      if (!slow || p99 > slow->second) slow = {id, p99};
      if (!fast || p99 < fast->second) fast = {id, p99};
    }
    if (!slow || slow->first == fast->first) continue;
    const double r = static_cast<double>(slow->second) / static_cast<double>(fast->second);
    if (r <= ratio || (found && r <= found->ratio)) continue;
    found = SlowestStore{slow->first, static_cast<measure::OpType>(i), slow->second, fast->first, fast->second, r};
  }
  return found;
}

std::string slowest_store_text(const SlowestStore& slowest, const std::map<uint64_t, std::string>& addresses) {
  const auto address = addresses.find(slowest.store_id);
  return fmt::format("slowest store {}{}: {} p99 {}, {:.1f}x store {}'s {}", slowest.store_id,
                     address != addresses.end() && !address->second.empty() ? " (" + address->second + ")" : "",
                     measure::op_name(slowest.op), format_micros(slowest.p99_us), slowest.ratio,
                     slowest.fastest_store_id, format_micros(slowest.fastest_p99_us));
}

}  // namespace tikvbench::report
