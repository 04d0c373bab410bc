#include "workload/rate_search.h"

#include <algorithm>
#include <cassert>

namespace tikvbench::workload {

RateSearch::RateSearch(RateSearchOptions options) : options_(options) {
  assert(options_.start > 0);
  assert(!options_.max || *options_.max >= options_.start);
  assert(options_.precision > 0);
}

std::optional<int64_t> RateSearch::next() const {
  if (!held_) {
    if (broken_) return std::nullopt;  // even the first step broke
    return options_.start;
  }
  if (!broken_) {
    if (options_.max && *held_ >= *options_.max) return std::nullopt;
    const int64_t rise = *held_ * kRiseFactor;
    return options_.max ? std::min(rise, *options_.max) : rise;
  }
  const int64_t low = *held_;
  const int64_t high = *broken_;
  if (high - low <= 1) return std::nullopt;
  if (static_cast<double>(high - low) <= options_.precision * static_cast<double>(low)) return std::nullopt;
  return low + (high - low) / 2;
}

void RateSearch::record(int64_t rate, bool held) {
  if (held) {
    held_ = std::max(rate, held_.value_or(rate));
  } else {
    broken_ = std::min(rate, broken_.value_or(rate));
  }
}

}  // namespace tikvbench::workload
