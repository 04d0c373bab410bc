#include "workload/operation_source.h"

#include <algorithm>

#include "workload/acknowledged_counter_generator.h"
#include "workload/discrete_generator.h"
#include "workload/exponential_generator.h"
#include "workload/hotspot_generator.h"
#include "workload/row_codec.h"
#include "workload/scrambled_zipfian_generator.h"
#include "workload/sequential_generator.h"
#include "workload/skewed_latest_generator.h"
#include "workload/uniform_generator.h"
#include "workload/zipfian_generator.h"

namespace tikvbench::workload {
namespace {

constexpr size_t kFillerBytes = 1 << 16;

// A constant: go-ycsb's ConstantGenerator.
class ConstantGenerator final : public NumberGenerator {
 public:
  explicit ConstantGenerator(int64_t value) : value_(value) {}
  int64_t next(Rng&) override { return value_; }
  double mean() const override { return static_cast<double>(value_); }

 private:
  const int64_t value_;
};

// A Zipfian over [min, max] with a theta other than YCSB's 0.99, its
// popular items scattered by the FNV hash as ScrambledZipfian scatters its
// own. (ScrambledZipfian with another theta sums zeta over 10^10 items.)
class HashedZipfianGenerator final : public NumberGenerator {
 public:
  HashedZipfianGenerator(int64_t min, int64_t max, double theta) : min_(min), count_(max - min + 1), zipfian_(0, max - min, theta) {}
  int64_t next(Rng& rng) override {
    const auto z = zipfian_.next(rng);
    return min_ + static_cast<int64_t>(static_cast<uint64_t>(fnv_hash64(z)) % static_cast<uint64_t>(count_));
  }
  double mean() const override { return static_cast<double>(min_) + static_cast<double>(count_ - 1) / 2; }

 private:
  const int64_t min_, count_;
  ZipfianGenerator zipfian_;
};

std::unique_ptr<NumberGenerator> length_generator(const LengthSpec& length) {
  switch (length.kind) {
    case LengthDistribution::kConstant: return std::make_unique<ConstantGenerator>(length.max);
    case LengthDistribution::kUniform: return std::make_unique<UniformGenerator>(length.min, length.max);
    case LengthDistribution::kZipfian: return std::make_unique<ZipfianGenerator>(length.min, length.max);
  }
  return std::make_unique<ConstantGenerator>(length.max);
}

}  // namespace

OperationSource::OperationSource(const WorkloadSpec& spec, Shard shard)
    : spec_(spec), shard_(shard), namer_(spec.keyspace) {
  const auto& keys = spec.keyspace;
  const int64_t count = keys.resolved_insert_count();
  const auto slice = [&](size_t i) {
    return keys.insert_start + static_cast<int64_t>(static_cast<__int128>(count) * static_cast<__int128>(i) /
                                                    static_cast<__int128>(shard.count));
  };
  load_begin_ = slice(shard.index);
  load_end_ = slice(shard.index + 1);
  next_load_.store(load_begin_);

  inserts_ = std::make_unique<AcknowledgedCounterGenerator>(keys.record_count);
  const int64_t first = keys.insert_start;
  const int64_t last = keys.insert_start + std::max<int64_t>(count, 1) - 1;  // insert-only: never drawn
  const auto& dist = spec.request_distribution;
  switch (dist.kind) {
    case KeyDistribution::kUniform: key_chooser_ = std::make_unique<UniformGenerator>(first, last); break;
    case KeyDistribution::kZipfian: {
      // As CoreWorkload: leave room for the keys the run will insert.
      const double operations = static_cast<double>(spec.bounds.operations.value_or(0));
      double total = 0;
      for (double w : spec.mix.weight) total += w;
      const auto expected_new = static_cast<int64_t>(operations * spec.mix.of(OpType::kInsert) / total * 2.0);
      if (dist.zipfian_theta == ScrambledZipfianGenerator::kUsedTheta) {
        key_chooser_ = std::make_unique<ScrambledZipfianGenerator>(first, last + expected_new);
      } else {
        key_chooser_ = std::make_unique<HashedZipfianGenerator>(first, last + expected_new, dist.zipfian_theta);
      }
      break;
    }
    case KeyDistribution::kLatest: key_chooser_ = std::make_unique<SkewedLatestGenerator>(*inserts_); break;
    case KeyDistribution::kHotspot:
      key_chooser_ = std::make_unique<HotspotGenerator>(first, last, dist.hotspot_data_fraction, dist.hotspot_opn_fraction);
      break;
    case KeyDistribution::kSequential: key_chooser_ = std::make_unique<SequentialGenerator>(first, last); break;
    case KeyDistribution::kExponential:
      key_chooser_ = std::make_unique<ExponentialGenerator>(
          dist.exponential_percentile, static_cast<double>(keys.record_count) * dist.exponential_frac);
      exponential_ = true;
      break;
  }
  std::vector<DiscreteGenerator<OpType>::Choice> choices;
  for (size_t i = 0; i < kOpTypeCount; ++i) {
    if (spec.mix.weight[i] > 0) choices.push_back({spec.mix.weight[i], static_cast<OpType>(i)});
  }
  op_chooser_ = std::make_unique<DiscreteGenerator<OpType>>(std::move(choices));
  field_length_ = length_generator(spec.values.value_size.value_or(spec.values.field_length));
  scan_length_ = length_generator(spec.scan_length);
  Rng filler_rng(spec.seed ^ 0x5eedf111e5ULL);
  filler_.resize(kFillerBytes);
  for (auto& c : filler_) c = static_cast<char>('a' + filler_rng.uniform(0, 25));
}

OperationSource::~OperationSource() = default;

std::optional<int64_t> OperationSource::next_load_record() {
  const int64_t record = next_load_.fetch_add(1, std::memory_order_relaxed);
  if (record >= load_end_) return std::nullopt;
  return record;
}

int64_t OperationSource::insert_record_for(int64_t local) const {
  const int64_t base = spec_.keyspace.record_count;
  if (local < base) return local;
  return base + (local - base) * static_cast<int64_t>(shard_.count) + static_cast<int64_t>(shard_.index);
}

int64_t OperationSource::frontier() const { return insert_record_for(inserts_->last_value()); }

int64_t OperationSource::next_record(Rng& rng) {
  const int64_t limit = frontier();
  if (exponential_) {
    // CoreWorkload: counted back from the newest acknowledged record.
    for (int attempt = 0; attempt < 1000; ++attempt) {
      const int64_t record = limit - key_chooser_->next(rng);
      if (record >= 0) return record;
    }
    return std::max<int64_t>(limit, 0);
  }
  // Never past the acknowledged-insert frontier (CoreWorkload's loop).
  int64_t record = key_chooser_->next(rng);
  for (int attempt = 0; record > limit && attempt < 1000; ++attempt) record = key_chooser_->next(rng);
  return std::min(record, limit);
}

Operation OperationSource::next(Rng& rng) {
  Operation op;
  op.type = op_chooser_->next(rng);
  switch (op.type) {
    case OpType::kInsert: {
      // The local number is what the frontier counts; the record is this
      // shard's own.
      const int64_t local = inserts_->next();
      op.keys.push_back(insert_record_for(local));
      break;
    }
    case OpType::kBatchGet:
    case OpType::kBatchPut: {
      for (int i = 0; i < spec_.mix.batch_size; ++i) op.keys.push_back(next_record(rng));
      std::sort(op.keys.begin(), op.keys.end());
      op.keys.erase(std::unique(op.keys.begin(), op.keys.end()), op.keys.end());
      break;
    }
    case OpType::kScan:
      op.keys.push_back(next_record(rng));
      op.scan_length = std::max<int64_t>(1, scan_length_->next(rng));
      break;
    default: op.keys.push_back(next_record(rng)); break;
  }
  return op;
}

void OperationSource::acknowledge_insert(int64_t record) {
  const int64_t base = spec_.keyspace.record_count;
  const int64_t local = record < base ? record : base + (record - base) / static_cast<int64_t>(shard_.count);
  inserts_->acknowledge(local);
}

std::string OperationSource::make_value(Rng& rng) const {
  const auto cut = [&](int64_t length) {
    const auto n = static_cast<size_t>(std::clamp<int64_t>(length, 0, static_cast<int64_t>(kFillerBytes)));
    const auto offset = static_cast<size_t>(rng.uniform(0, static_cast<int64_t>(kFillerBytes - n)));
    return std::string_view(filler_).substr(offset, n);
  };
  if (spec_.values.value_size) return std::string(cut(field_length_->next(rng)));
  if (spec_.values.encoding == ValueEncoding::kRowCodec) {
    std::vector<RowColumn> columns;
    for (int i = 0; i < spec_.values.field_count; ++i) columns.push_back({i, cut(field_length_->next(rng))});
    return encode_row(columns);
  }
  std::string value;
  for (int i = 0; i < spec_.values.field_count; ++i) value.append(cut(field_length_->next(rng)));
  return value;
}

}  // namespace tikvbench::workload
