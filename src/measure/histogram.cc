#include "measure/histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace tikvbench::measure {

struct Histogram::Layout {
  int64_t lowest;
  int64_t highest;
  int significant_figures;
  int32_t unit_magnitude;
  int32_t sub_bucket_count_magnitude;
  int32_t bucket_count;
  int32_t counts_length;
};

namespace {

Status invalid(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }

}  // namespace

// The checks and arithmetic of HdrHistogram's constructor (Java init(),
// C hdr_calculate_bucket_config), with the logarithms done on integers: for
// these inputs floor(log2) and ceil(log2) give what the floating-point
// formulas give.

Status Histogram::make_layout(int64_t lowest, int64_t highest, int digits, Layout& layout) {
  if (lowest < 1) return invalid("lowest_discernible_value must be >= 1, got " + std::to_string(lowest));
  if (lowest > std::numeric_limits<int64_t>::max() / 2) {
    return invalid("lowest_discernible_value must be <= INT64_MAX / 2, got " + std::to_string(lowest));
  }
  if (highest < 2 * lowest) {
    return invalid("highest_trackable_value must be >= 2 * lowest_discernible_value (" + std::to_string(lowest) +
                   "), got " + std::to_string(highest));
  }
  if (digits < 0 || digits > 5) {
    return invalid("significant_figures must be between 0 and 5, got " + std::to_string(digits));
  }
  int64_t largest_with_unit_resolution = 2;
  for (int i = 0; i < digits; ++i) largest_with_unit_resolution *= 10;
  // ceil(log2(x)): the smallest power of two holding single-unit resolution.
  const auto sub_bucket_count_magnitude =
      static_cast<int32_t>(std::bit_width(static_cast<uint64_t>(largest_with_unit_resolution - 1)));
  const auto unit_magnitude = static_cast<int32_t>(std::bit_width(static_cast<uint64_t>(lowest)) - 1);
  if (unit_magnitude + sub_bucket_count_magnitude > 62) {
    return invalid("significant_figures " + std::to_string(digits) + " cannot be kept above lowest_discernible_value " +
                   std::to_string(lowest));
  }
  // Buckets needed to cover `highest`.
  int64_t smallest_untrackable = int64_t{1} << (sub_bucket_count_magnitude + unit_magnitude);
  int32_t buckets = 1;
  while (smallest_untrackable <= highest) {
    if (smallest_untrackable > std::numeric_limits<int64_t>::max() / 2) {
      ++buckets;
      break;
    }
    smallest_untrackable <<= 1;
    ++buckets;
  }
  const int64_t counts_length = (int64_t{buckets} + 1) << (sub_bucket_count_magnitude - 1);
  if (counts_length > std::numeric_limits<int32_t>::max()) return invalid("histogram layout too large");
  layout = Layout{lowest, highest, digits, unit_magnitude, sub_bucket_count_magnitude, buckets,
                             static_cast<int32_t>(counts_length)};
  return {};
}

Histogram::Layout Histogram::checked_layout(int64_t lowest, int64_t highest, int digits) {
  Layout layout{};
  if (Status status = make_layout(lowest, highest, digits, layout); !status.ok()) {
    throw std::invalid_argument("histogram: " + status.message());
  }
  return layout;
}

Histogram::Histogram(int64_t lowest_discernible_value, int64_t highest_trackable_value, int significant_figures)
    : Histogram(checked_layout(lowest_discernible_value, highest_trackable_value, significant_figures)) {}

Histogram::Histogram(const Layout& layout)
    : lowest_(layout.lowest),
      highest_(layout.highest),
      significant_figures_(layout.significant_figures),
      unit_magnitude_(layout.unit_magnitude),
      sub_bucket_half_count_magnitude_(layout.sub_bucket_count_magnitude - 1),
      sub_bucket_count_(int32_t{1} << layout.sub_bucket_count_magnitude),
      sub_bucket_half_count_(int32_t{1} << (layout.sub_bucket_count_magnitude - 1)),
      sub_bucket_mask_(((int64_t{1} << layout.sub_bucket_count_magnitude) - 1) << layout.unit_magnitude),
      leading_zero_count_base_(64 - layout.unit_magnitude - layout.sub_bucket_count_magnitude),
      bucket_count_(layout.bucket_count),
      counts_length_(layout.counts_length),
      counts_(static_cast<size_t>(layout.counts_length), 0) {}

Result<Histogram> Histogram::create(int64_t lowest_discernible_value, int64_t highest_trackable_value,
                                    int significant_figures) {
  Layout layout{};
  if (Status status = make_layout(lowest_discernible_value, highest_trackable_value, significant_figures, layout);
      !status.ok()) {
    return status;
  }
  return Histogram(layout);
}

Result<int32_t> Histogram::counts_length_for(int64_t lowest_discernible_value, int64_t highest_trackable_value,
                                             int significant_figures) {
  Layout layout{};
  if (Status status = make_layout(lowest_discernible_value, highest_trackable_value, significant_figures, layout);
      !status.ok()) {
    return status;
  }
  return layout.counts_length;
}

void Histogram::record_out_of_range(int64_t value, int64_t count) {
  if (count <= 0) return;
  if (value < 0) {
    value = 0;
  } else if (value > highest_) {
    value = highest_;
    saturated_count_ += count;
  }
  record(value, count);
}

Status Histogram::merge(const Histogram& other) {
  if (!same_layout(other)) {
    return invalid("cannot merge histograms of different layouts (" + std::to_string(other.lowest_) + ".." +
                   std::to_string(other.highest_) + "/" + std::to_string(other.significant_figures_) + " into " +
                   std::to_string(lowest_) + ".." + std::to_string(highest_) + "/" +
                   std::to_string(significant_figures_) + ")");
  }
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_count_ += other.total_count_;
  saturated_count_ += other.saturated_count_;
  max_value_ = std::max(max_value_, other.max_value_);
  min_non_zero_value_ = std::min(min_non_zero_value_, other.min_non_zero_value_);
  return {};
}

void Histogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_count_ = 0;
  saturated_count_ = 0;
  max_value_ = 0;
  min_non_zero_value_ = INT64_MAX;
}

int64_t Histogram::min() const {
  if (total_count_ == 0 || counts_[0] > 0) return 0;
  return lowest_equivalent_value(min_non_zero_value_);
}

int64_t Histogram::max() const { return max_value_ == 0 ? 0 : highest_equivalent_value(max_value_); }

double Histogram::mean() const {
  if (total_count_ == 0) return 0.0;
  double total = 0.0;
  for (int32_t i = 0; i < counts_length_; ++i) {
    const int64_t count = counts_[static_cast<size_t>(i)];
    if (count != 0) total += static_cast<double>(count) * static_cast<double>(median_equivalent_value(value_at_index(i)));
  }
  return total / static_cast<double>(total_count_);
}

double Histogram::stddev() const {
  if (total_count_ == 0) return 0.0;
  const double mean_value = mean();
  double deviations = 0.0;
  for (int32_t i = 0; i < counts_length_; ++i) {
    const int64_t count = counts_[static_cast<size_t>(i)];
    if (count == 0) continue;
    const double deviation = static_cast<double>(median_equivalent_value(value_at_index(i))) - mean_value;
    deviations += deviation * deviation * static_cast<double>(count);
  }
  return std::sqrt(deviations / static_cast<double>(total_count_));
}

int64_t Histogram::value_at_percentile(double percentile) const {
  if (total_count_ == 0) return 0;
  double requested = percentile;
  if (!(requested > 0.0)) requested = 0.0;  // NaN too
  if (requested > 100.0) requested = 100.0;
  // hdr_value_at_percentile rounds to the nearest count (Java takes the
  // ceiling); the comparison keeps the conversion in range.
  const double target = requested / 100.0 * static_cast<double>(total_count_) + 0.5;
  int64_t count_at_percentile = target >= static_cast<double>(total_count_) ? total_count_ : static_cast<int64_t>(target);
  count_at_percentile = std::max<int64_t>(count_at_percentile, 1);
  int64_t cumulative = 0;
  for (int32_t i = 0; i < counts_length_; ++i) {
    cumulative += counts_[static_cast<size_t>(i)];
    if (cumulative >= count_at_percentile) {
      const int64_t value = value_at_index(i);
      return requested == 0.0 ? lowest_equivalent_value(value) : highest_equivalent_value(value);
    }
  }
  return 0;  // unreachable while total_count_ is the sum of the counts
}

std::vector<PercentilePoint> Histogram::percentile_spectrum(int ticks_per_half_distance) const {
  std::vector<PercentilePoint> points;
  if (total_count_ == 0) return points;
  const int64_t ticks = std::max(ticks_per_half_distance, 1);
  double level = 0.0;
  int64_t cumulative = 0;
  int64_t last_value = 0;
  for (int32_t i = 0; i < counts_length_ && cumulative < total_count_; ++i) {
    const int64_t count = counts_[static_cast<size_t>(i)];
    if (count == 0) continue;
    cumulative += count;
    last_value = highest_equivalent_value(value_at_index(i));
    const double current = 100.0 * static_cast<double>(cumulative) / static_cast<double>(total_count_);
    // Several levels may be reached in one bucket, except in the last one,
    // where the iterator reports one level and then the final 100%.
    while (level <= current) {
      points.push_back({level, last_value, cumulative});
      if (cumulative >= total_count_ || level >= 100.0) break;
      // The same floating-point steps as HdrHistogram, so the levels match.
      const double halvings = std::min(std::floor(std::log(100.0 / (100.0 - level)) / std::log(2.0)) + 1.0, 1000.0);
      const double next = level + 100.0 / (static_cast<double>(ticks) * std::pow(2.0, halvings));
      // Within an ulp of 100% (counts near INT64_MAX) the step vanishes;
      // HdrHistogram would spin there. Report nothing more but the last point.
      if (!(next > level)) {
        level = std::numeric_limits<double>::infinity();
        break;
      }
      level = next;
    }
  }
  points.push_back({100.0, last_value, cumulative});
  return points;
}

int64_t Histogram::count_at_value(int64_t value) const {
  if (value < 0 || value > highest_) return 0;
  return counts_[static_cast<size_t>(index_for(value))];
}

int64_t Histogram::value_at_index(int32_t index) const {
  int32_t bucket = (index >> sub_bucket_half_count_magnitude_) - 1;
  int32_t sub_bucket = (index & (sub_bucket_half_count_ - 1)) + sub_bucket_half_count_;
  if (bucket < 0) {
    sub_bucket -= sub_bucket_half_count_;
    bucket = 0;
  }
  return int64_t{sub_bucket} << (bucket + unit_magnitude_);
}

int64_t Histogram::lowest_equivalent_value(int64_t value) const {
  value = std::max<int64_t>(value, 0);
  const int32_t bucket = bucket_index(value);
  const int64_t sub_bucket = value >> (bucket + unit_magnitude_);
  return sub_bucket << (bucket + unit_magnitude_);
}

int64_t Histogram::size_of_equivalent_value_range(int64_t value) const {
  value = std::max<int64_t>(value, 0);
  const int32_t bucket = bucket_index(value);
  const int64_t sub_bucket = value >> (bucket + unit_magnitude_);
  const int32_t adjusted_bucket = sub_bucket >= sub_bucket_count_ ? bucket + 1 : bucket;
  return int64_t{1} << (unit_magnitude_ + adjusted_bucket);
}

int64_t Histogram::highest_equivalent_value(int64_t value) const {
  // lowest + (size - 1) cannot overflow; lowest + size can, at the very top.
  return lowest_equivalent_value(value) + (size_of_equivalent_value_range(value) - 1);
}

int64_t Histogram::next_non_equivalent_value(int64_t value) const {
  const int64_t highest = highest_equivalent_value(value);
  return highest == INT64_MAX ? INT64_MAX : highest + 1;
}

int64_t Histogram::median_equivalent_value(int64_t value) const {
  return lowest_equivalent_value(value) + (size_of_equivalent_value_range(value) >> 1);
}

void Histogram::add_at_index(int32_t index, int64_t count) {
  counts_[static_cast<size_t>(index)] += count;
  total_count_ += count;
  if (count == 0 || index == 0) return;
  const int64_t value = value_at_index(index);
  max_value_ = std::max(max_value_, value);
  min_non_zero_value_ = std::min(min_non_zero_value_, value);
}

}  // namespace tikvbench::measure
