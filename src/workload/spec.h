// WorkloadSpec is a workload with every default filled in: what `load` and
// `run` do, wherever it came from (a YAML file, a go-ycsb .properties file,
// `-p` overrides). Plain data, validated by validate(); the parsers produce
// it, the generators, the schedule and the runner read it.
//
// Defaults are go-ycsb's core workload defaults (CoreWorkload.java and
// go-ycsb's pkg/workload/core.go), so a spec that sets nothing behaves as a
// go-ycsb run with an empty properties file.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "measure/op_type.h"

namespace tikvbench::workload {

// The operation types (measure/op_type.h), under the workload's names.
using measure::OpType;
using measure::kOpTypeCount;
using measure::kOpTypeNames;
using measure::op_name;

// How request keys are drawn (go-ycsb's requestdistribution).
enum class KeyDistribution { kUniform, kZipfian, kLatest, kHotspot, kSequential, kExponential };

struct RequestDistribution {
  KeyDistribution kind = KeyDistribution::kUniform;
  double zipfian_theta = 0.99;         // ZipfianGenerator.ZIPFIAN_CONSTANT
  double hotspot_data_fraction = 0.2;  // hotspotdatafraction
  double hotspot_opn_fraction = 0.8;   // hotspotopnfraction
  double exponential_percentile = 95;  // exponential.percentile
  double exponential_frac = 0.8571428571;  // exponential.frac
};

// A length drawn per operation: field lengths, value sizes, scan lengths.
enum class LengthDistribution { kConstant, kUniform, kZipfian };

struct LengthSpec {
  LengthDistribution kind = LengthDistribution::kConstant;
  int64_t min = 1;    // uniform and zipfian: the smallest; constant: unused
  int64_t max = 100;  // constant: the length; uniform and zipfian: the largest
};

// Which key names to generate.
enum class KeyStyle {
  kGoYcsb,    // go-ycsb: "<prefix><fnv64(n) or n, zero-padded>", stored as "<table>:<key>"
  kJavaYcsb,  // Java YCSB: "user" + hash, zero-padded; stored as "<table>:<key>" too
};

struct KeyspaceSpec {
  int64_t record_count = 0;           // recordcount
  std::string table = "usertable";   // table
  std::string key_prefix = "user";   // keyprefix
  bool hashed = true;                 // insertorder=hashed (false: ordered)
  int zero_padding = 1;               // zeropadding
  int64_t insert_start = 0;           // insertstart
  std::optional<int64_t> insert_count;  // insertcount; default: record_count - insert_start
  KeyStyle style = KeyStyle::kGoYcsb;

  int64_t resolved_insert_count() const { return insert_count.value_or(record_count - insert_start); }
};

// How a record's fields become the stored value.
enum class ValueEncoding {
  kRaw,       // the fields' bytes one after another
  kRowCodec,  // go-ycsb's row encoding (what its TiKV raw driver stores)
};

struct ValueSpec {
  int field_count = 10;                                    // fieldcount
  LengthSpec field_length{LengthDistribution::kConstant, 1, 100};  // fieldlength, fieldlengthdistribution
  std::optional<LengthSpec> value_size;  // a raw value size instead of fields (YAML only)
  ValueEncoding encoding = ValueEncoding::kRaw;
  bool read_all_fields = true;    // readallfields
  bool write_all_fields = false;  // writeallfields
};

// Proportions, as go-ycsb's *proportion properties; they need not sum to 1
// (they are weights) but must not all be 0.
struct OperationMix {
  std::array<double, kOpTypeCount> weight = {0.95, 0.05, 0, 0, 0, 0, 0, 0};
  int batch_size = 10;  // keys per batch_get and batch_put
  double of(OpType op) const { return weight[static_cast<size_t>(op)]; }
  double& of(OpType op) { return weight[static_cast<size_t>(op)]; }
};

// A load model: closed loop (that many operations in flight) or open loop
// (that many operations per second, started on schedule).
enum class LoadKind { kConcurrency, kRate };

// How the load level moves over a phase.
enum class PhaseShape {
  kConstant,  // `from` for the whole phase
  kRamp,      // linearly from `from` to `to`
  kSteps,     // `steps[i]` for `duration / steps.size()` each
};

struct Phase {
  std::string name;
  std::chrono::nanoseconds duration{0};
  LoadKind kind = LoadKind::kConcurrency;
  PhaseShape shape = PhaseShape::kConstant;
  double from = 0;
  double to = 0;
  std::vector<double> steps;
  bool warmup = false;  // run but not recorded

  // The load level at `t` into the phase. REQUIRES: 0 <= t <= duration.
  double level_at(std::chrono::nanoseconds t) const;
};

struct RunBounds {
  std::optional<std::chrono::nanoseconds> duration;  // --duration; go-ycsb: maxexecutiontime
  std::optional<int64_t> operations;                 // --ops; operationcount
};

struct ClusterSpec {
  std::vector<std::string> pd;    // tikv.pd; empty: the in-process mock cluster
  std::optional<size_t> conns;    // tikv.conncount
  std::optional<size_t> max_batch;  // tikv.batchsize
  std::optional<std::string> api_version;  // tikv.apiversion: v1 or v2
};

struct WorkloadSpec {
  std::string name = "workload";  // the file's stem unless given
  std::string source;             // the file it came from, for messages
  KeyspaceSpec keyspace;
  ValueSpec values;
  OperationMix mix;
  RequestDistribution request_distribution;
  LengthSpec scan_length{LengthDistribution::kUniform, 1, 1000};  // minscanlength, maxscanlength
  // The load when no phase says otherwise: threadcount (closed loop) or
  // target (open loop, > 0).
  LoadKind load_kind = LoadKind::kConcurrency;
  double load_level = 1;
  size_t max_inflight = 10'000;  // open loop: starts beyond this queue and count as late
  bool max_inflight_given = false;  // the YAML workload set max_inflight
  std::vector<Phase> phases;     // empty: one constant phase at the load above
  std::chrono::nanoseconds warmup{0};  // warmuptime: an unrecorded first phase
  RunBounds bounds;
  int64_t load_threads = 0;  // concurrency of `load`; 0: the run's concurrency (at least 1)
  std::vector<std::string> thresholds;  // parsed by the reports
  bool verify = false;
  ClusterSpec cluster;
  uint64_t seed = 0;  // 0: from the clock
};

// Checks the invariants the parsers cannot check field by field (weights
// that sum to 0, ranges, phases). Throws std::invalid_argument naming
// `spec.source` and the field.
void validate(const WorkloadSpec& spec);

}  // namespace tikvbench::workload
