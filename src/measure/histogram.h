// Histogram is a High Dynamic Range histogram of non-negative int64 values:
// for us, request latencies in microseconds. Its bucket layout is exactly
// HdrHistogram's (Java AbstractHistogram, C hdr_histogram), so the counts
// array, index for index, is what HdrHistogram would hold for the same
// (lowest, highest, significant figures), and histogram_codec.h can write it
// in HdrHistogram's own encoding for HdrHistogram's tools to read.
//
// Layout: values below sub_bucket_count << unit_magnitude sit in bucket 0 at
// unit resolution (2^unit_magnitude, with unit_magnitude = floor(log2(
// lowest))). Each further bucket covers twice the range of the one before at
// half the resolution, and stores only its upper half (its lower half is the
// range already covered). sub_bucket_count is the smallest power of two
// >= 2 * 10^significant_figures, so any value is kept to within
// 1 / 10^significant_figures of itself. There are
// (bucket_count + 1) * sub_bucket_count / 2 counters.
//
// Memory: with our defaults (1 us .. 1 h = 3.6e9 us, 3 significant figures)
// sub_bucket_count is 2048 and 22 buckets are needed (2048 << 21 > 3.6e9),
// so 23 * 1024 = 23,552 int64 counters: 188,416 bytes (184 KiB) of counts,
// allocated once by the constructor; recording never allocates.
//
// Out-of-range values: a value above highest_trackable_value() is recorded as
// highest_trackable_value() and also counted in saturated_count(); a negative
// value is recorded as 0, in the lowest bucket. record() never fails.
//
// Thread safety: none; not even const methods may race with record(). Keep
// one histogram per thread and, at intervals, merge() them into another.
// Value type: copies are deep (and cost the counts array).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "util/status.h"

namespace tikvbench::measure {

// One point of the percentile spectrum (HdrHistogram's PercentileIterator).
struct PercentilePoint {
  double percentile;    // the level reached, 0..100
  int64_t value;        // highest equivalent value of the bucket reaching it
  int64_t total_count;  // count of values up to and including that bucket
};

class Histogram {
 public:
  static constexpr int64_t kDefaultLowest = 1;                  // 1 us
  static constexpr int64_t kDefaultHighest = 3'600'000'000;     // 1 h in us
  static constexpr int kDefaultSignificantFigures = 3;

  // A histogram tracking lowest_discernible_value..highest_trackable_value
  // to significant_figures decimal digits. Throws std::invalid_argument,
  // naming the parameter, unless the layout is valid (see create()): this is
  // for start-up configuration; untrusted parameters go through create().
  explicit Histogram(int64_t lowest_discernible_value = kDefaultLowest,
                     int64_t highest_trackable_value = kDefaultHighest,
                     int significant_figures = kDefaultSignificantFigures);

  // As the constructor, but fails with kInvalidArgument instead of throwing
  // unless lowest >= 1, lowest <= INT64_MAX / 2, highest >= 2 * lowest,
  // 0 <= significant_figures <= 5 and the sub-buckets fit in 62 bits (the
  // checks HdrHistogram makes).
  static Result<Histogram> create(int64_t lowest_discernible_value, int64_t highest_trackable_value,
                                  int significant_figures);

  // The number of counters the layout needs, or why it is invalid, without
  // allocating: lets a decoder refuse a huge layout before building it.
  static Result<int32_t> counts_length_for(int64_t lowest_discernible_value,
                                           int64_t highest_trackable_value, int significant_figures);

  Histogram(const Histogram&) = default;
  Histogram& operator=(const Histogram&) = default;
  Histogram(Histogram&&) noexcept = default;
  Histogram& operator=(Histogram&&) noexcept = default;

  // Records `count` occurrences of `value`. A handful of instructions: a
  // count-leading-zeros, a shift and an add. Values out of range are clamped
  // (see above); a count <= 0 records nothing. Never throws or allocates.
  void record(int64_t value, int64_t count = 1) {
    if (static_cast<uint64_t>(value) > static_cast<uint64_t>(highest_) || count <= 0) [[unlikely]] {
      record_out_of_range(value, count);
      return;
    }
    counts_[static_cast<size_t>(index_for(value))] += count;
    total_count_ += count;
    if (value > max_value_) max_value_ = value;
    if (value < min_non_zero_value_ && value != 0) min_non_zero_value_ = value;
  }

  // Adds every count of `other` to this one. Fails with kInvalidArgument,
  // changing nothing, unless same_layout(other).
  Status merge(const Histogram& other);

  // Forgets every recorded value; the layout stays.
  void reset();

  bool same_layout(const Histogram& other) const {
    return lowest_ == other.lowest_ && highest_ == other.highest_ && significant_figures_ == other.significant_figures_;
  }

  int64_t lowest_discernible_value() const { return lowest_; }
  int64_t highest_trackable_value() const { return highest_; }
  int significant_figures() const { return significant_figures_; }

  // Every recorded value, the clamped ones included.
  int64_t total_count() const { return total_count_; }
  // How many values were above highest_trackable_value() (and recorded as it).
  int64_t saturated_count() const { return saturated_count_; }

  // The lowest equivalent value of the smallest recorded value; 0 when empty.
  int64_t min() const;
  // The highest equivalent value of the largest recorded value; 0 when empty.
  int64_t max() const;
  // Mean and standard deviation (population) of the recorded values, each
  // taken as the median equivalent value of its bucket; 0 when empty.
  double mean() const;
  double stddev() const;

  // The value at `percentile` (0..100; clamped), as hdr_value_at_percentile:
  // the highest equivalent value of the first bucket where the cumulative
  // count reaches round(percentile / 100 * total_count) (at least 1), or the
  // lowest equivalent value for percentile 0. 0 when empty.
  int64_t value_at_percentile(double percentile) const;

  // The percentile spectrum as HdrHistogram's percentile iterator walks it
  // (outputPercentileDistribution, hdr_percentiles_print): levels step by
  // 100 / (ticks_per_half_distance * 2^k) for the k-th halving of the
  // distance to 100%, a level is reported at the first non-empty bucket
  // whose cumulative percentile reaches it, and a last point at 100% repeats
  // the largest bucket. Empty when the histogram is. Allocates; for reports.
  // REQUIRES: ticks_per_half_distance >= 1 (smaller is taken as 1).
  std::vector<PercentilePoint> percentile_spectrum(int ticks_per_half_distance = 5) const;

  // The count recorded in the bucket of `value`; 0 for values out of range.
  int64_t count_at_value(int64_t value) const;

  // Value equivalence: two values are equivalent when they share a bucket.
  // REQUIRES: value >= 0 (a negative value is taken as 0).
  int64_t lowest_equivalent_value(int64_t value) const;
  int64_t highest_equivalent_value(int64_t value) const;
  int64_t median_equivalent_value(int64_t value) const;
  int64_t next_non_equivalent_value(int64_t value) const;
  int64_t size_of_equivalent_value_range(int64_t value) const;
  bool values_are_equivalent(int64_t a, int64_t b) const {
    return lowest_equivalent_value(a) == lowest_equivalent_value(b);
  }

  // Raw access in HdrHistogram's counts-array order (what the codec writes).
  int32_t counts_length() const { return counts_length_; }
  // REQUIRES: 0 <= index < counts_length().
  int64_t count_at_index(int32_t index) const { return counts_[static_cast<size_t>(index)]; }
  // The lowest value counted at `index`. REQUIRES: 0 <= index < counts_length().
  int64_t value_at_index(int32_t index) const;
  // The counter for `value`. REQUIRES: 0 <= value <= highest_trackable_value().
  int32_t index_for(int64_t value) const {
    const int32_t bucket = bucket_index(value);
    const auto sub_bucket = static_cast<int32_t>(value >> (bucket + unit_magnitude_));
    return ((bucket + 1) << sub_bucket_half_count_magnitude_) + (sub_bucket - sub_bucket_half_count_);
  }
  // Adds `count` at `index` as if recorded there, keeping total, min and max.
  // For decoders. REQUIRES: 0 <= index < counts_length(), count >= 0, and
  // total_count() + count does not overflow.
  void add_at_index(int32_t index, int64_t count);

  // Bytes held: the object and its counts array.
  size_t memory_size() const { return sizeof(*this) + counts_.size() * sizeof(int64_t); }

 private:
  struct Layout;
  static Status make_layout(int64_t lowest, int64_t highest, int digits, Layout& layout);
  static Layout checked_layout(int64_t lowest, int64_t highest, int digits);  // throws
  explicit Histogram(const Layout& layout);
  void record_out_of_range(int64_t value, int64_t count);
  int32_t bucket_index(int64_t value) const {
    return leading_zero_count_base_ - std::countl_zero(static_cast<uint64_t>(value | sub_bucket_mask_));
  }

  // Constant after construction (but replaced by assignment).
  int64_t lowest_;
  int64_t highest_;
  int significant_figures_;
  int32_t unit_magnitude_;
  int32_t sub_bucket_half_count_magnitude_;
  int32_t sub_bucket_count_;
  int32_t sub_bucket_half_count_;
  int64_t sub_bucket_mask_;
  int32_t leading_zero_count_base_;  // 64 - unit_magnitude - log2(sub_bucket_count)
  int32_t bucket_count_;
  int32_t counts_length_;

  // Recorded state.
  int64_t total_count_ = 0;
  int64_t saturated_count_ = 0;
  int64_t max_value_ = 0;                    // largest value recorded, 0 when none
  int64_t min_non_zero_value_ = INT64_MAX;   // smallest non-zero value, INT64_MAX when none
  std::vector<int64_t> counts_;
};

}  // namespace tikvbench::measure
