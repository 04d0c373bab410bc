#include "workload/hotspot_generator.h"

#include <utility>

namespace tikvbench::workload {

HotspotGenerator::HotspotGenerator(int64_t lower_bound, int64_t upper_bound, double hotset_fraction,
                                   double hot_opn_fraction) {
  if (hotset_fraction < 0.0 || hotset_fraction > 1.0) hotset_fraction = 0.0;
  if (hot_opn_fraction < 0.0 || hot_opn_fraction > 1.0) hot_opn_fraction = 0.0;
  if (lower_bound > upper_bound) std::swap(lower_bound, upper_bound);
  lower_bound_ = lower_bound;
  upper_bound_ = upper_bound;
  hotset_fraction_ = hotset_fraction;
  hot_opn_fraction_ = hot_opn_fraction;
  const int64_t interval = upper_bound - lower_bound + 1;
  hot_interval_ = static_cast<int64_t>(static_cast<double>(interval) * hotset_fraction);
  cold_interval_ = interval - hot_interval_;
}

int64_t HotspotGenerator::next(Rng& rng) {
  // The coin is tossed even when one set is empty, so the Rng advances the
  // same way for every configuration.
  const bool hot = rng.next_double() < hot_opn_fraction_;
  if ((hot && hot_interval_ > 0) || cold_interval_ == 0) {
    return lower_bound_ + rng.uniform(0, hot_interval_ - 1);
  }
  return lower_bound_ + hot_interval_ + rng.uniform(0, cold_interval_ - 1);
}

double HotspotGenerator::mean() const {
  const double lower = static_cast<double>(lower_bound_);
  const double hot = static_cast<double>(hot_interval_);
  const double cold = static_cast<double>(cold_interval_);
  return hot_opn_fraction_ * (lower + hot / 2.0) + (1 - hot_opn_fraction_) * (lower + hot + cold / 2.0);
}

}  // namespace tikvbench::workload
