// OperationSource decides what a run does next, as go-ycsb's and YCSB's core
// workload do: which operation (by the mix's proportions), on which record
// (by the request distribution, never past the acknowledged-insert frontier),
// how long a scan, how many bytes a value. It also hands out the records a
// load inserts.
//
// Record numbers: the load inserts [insert_start, insert_start +
// insert_count); a run's inserts continue from record_count. With shards,
// shard I of N loads the I-th of N equal slices of the load range and its run
// inserts the numbers record_count + j*N + I, so N instances together do the
// work of one; each judges the insert frontier by its own inserts.
//
// Thread safety: every method may be called from any thread; randomness
// comes from the caller's Rng. The generators are shared and synchronize
// inside.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "workload/key_namer.h"
#include "workload/number_generator.h"
#include "workload/rng.h"
#include "workload/spec.h"

namespace tikvbench::workload {

class AcknowledgedCounterGenerator;
template <class T>
class DiscreteGenerator;

struct Operation {
  OpType type = OpType::kRead;
  std::vector<int64_t> keys;  // one record; batch_size records for batch operations
  int64_t scan_length = 0;    // scans only
};

struct Shard {
  size_t index = 0;
  size_t count = 1;
};

class OperationSource {
 public:
  // REQUIRES: spec validated; shard.index < shard.count.
  explicit OperationSource(const WorkloadSpec& spec, Shard shard = {});
  ~OperationSource();
  OperationSource(const OperationSource&) = delete;
  OperationSource& operator=(const OperationSource&) = delete;

  // The load: the next record of this shard's slice, or nullopt when every
  // one was handed out.
  std::optional<int64_t> next_load_record();
  // How many records this shard's load inserts.
  int64_t load_records() const { return load_end_ - load_begin_; }
  int64_t load_begin() const { return load_begin_; }
  int64_t load_end() const { return load_end_; }

  // The run: the next operation. An insert's record must be passed to
  // acknowledge_insert() once the insert ended (succeeded or given up), so
  // the frontier moves on.
  Operation next(Rng& rng);
  void acknowledge_insert(int64_t record);

  // A value's payload: field_count fields of drawn lengths (or a drawn value
  // size), in the workload's encoding.
  std::string make_value(Rng& rng) const;
  // The key a record is stored under.
  std::string row_key(int64_t record) const { return namer_.row_key(record); }

 private:
  int64_t next_record(Rng& rng);
  // The highest record a read may name: below it every insert was
  // acknowledged.
  int64_t frontier() const;
  int64_t insert_record_for(int64_t local) const;

  const WorkloadSpec spec_;
  const Shard shard_;
  const KeyNamer namer_;
  int64_t load_begin_ = 0, load_end_ = 0;
  std::atomic<int64_t> next_load_{0};
  std::unique_ptr<AcknowledgedCounterGenerator> inserts_;  // local numbering from record_count
  std::unique_ptr<NumberGenerator> key_chooser_;
  bool exponential_ = false;
  std::unique_ptr<DiscreteGenerator<OpType>> op_chooser_;
  std::unique_ptr<NumberGenerator> field_length_;
  std::unique_ptr<NumberGenerator> scan_length_;
  std::string filler_;  // random bytes that values are cut from
};

}  // namespace tikvbench::workload
