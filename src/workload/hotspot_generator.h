// HotspotGenerator sends a fraction of the draws to a small "hot" prefix of
// [lower_bound, upper_bound]: YCSB's HotspotIntegerGenerator and go-ycsb's
// generator.Hotspot, the "hotspot" request distribution. With
//   interval = upper_bound - lower_bound + 1
//   hot      = (int64)(interval * hotset_fraction)
// a draw is, with probability hot_opn_fraction, uniform over the hot set
// [lower_bound, lower_bound + hot) and otherwise uniform over the cold set
// [lower_bound + hot, upper_bound]. Every hot value is below every cold one.
//
// As in YCSB, a fraction outside [0, 1] is taken as 0 and swapped bounds are
// swapped back. YCSB casts the hot set's size to a 32-bit int (go-ycsb does
// not); this follows go-ycsb, which differs only past 2^31 hot items. Where
// the hot or the cold set is empty YCSB divides by zero (go-ycsb panics);
// here every draw then goes to the other set.
//
// Thread safety: immutable after construction; next() from any thread.
#pragma once

#include <cstdint>

#include "workload/number_generator.h"

namespace tikvbench::workload {

class HotspotGenerator final : public NumberGenerator {
 public:
  HotspotGenerator(int64_t lower_bound, int64_t upper_bound, double hotset_fraction, double hot_opn_fraction);

  // A value in [lower_bound, upper_bound].
  int64_t next(Rng& rng) override;

  // YCSB's formula: hot_opn * (lower + hot / 2) + (1 - hot_opn) * (lower +
  // hot + cold / 2).
  double mean() const override;

  int64_t lower_bound() const { return lower_bound_; }
  int64_t upper_bound() const { return upper_bound_; }
  int64_t hot_interval() const { return hot_interval_; }
  int64_t cold_interval() const { return cold_interval_; }
  double hotset_fraction() const { return hotset_fraction_; }
  double hot_opn_fraction() const { return hot_opn_fraction_; }

 private:
  // Constant after construction.
  int64_t lower_bound_;
  int64_t upper_bound_;
  double hotset_fraction_;
  double hot_opn_fraction_;
  int64_t hot_interval_;
  int64_t cold_interval_;
};

}  // namespace tikvbench::workload
