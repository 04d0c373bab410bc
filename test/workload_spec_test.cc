// The YAML workload format, the resolved-spec printer, the schedule's
// arithmetic and the verification value format and tracker.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "workload/operation_source.h"
#include "workload/schedule.h"
#include "workload/verified_value.h"
#include "workload/verify_tracker.h"
#include "workload/workload_file.h"
#include "workload/yaml_spec.h"

// A suite of the one test executable; meson runs it as "workload_spec".
BOOST_AUTO_TEST_SUITE(workload_spec_test)

using namespace tikvbench::workload;
using namespace std::chrono_literals;

namespace {

// The message spec_from_yaml throws for `text`, or "" when it parses.
std::string yaml_error(const std::string& text) {
  try {
    spec_from_yaml(text, "w.yaml");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_full_yaml_workload_reads_every_field) {
  const auto spec = spec_from_yaml(R"(
name: mixed
keyspace: {records: 5000, table: t, prefix: k, order: ordered, zero_padding: 8, insert_start: 100, insert_count: 4000}
values: {fields: 4, field_length: {distribution: uniform, min: 10, max: 20}, encoding: rowcodec}
mix: {read: 0.5, update: 0.2, insert: 0.1, scan: 0.1, delete: 0.05, batch_get: 0.05, batch_size: 7}
distribution: {type: hotspot, data_fraction: 0.1, op_fraction: 0.9}
scan_length: {distribution: zipfian, min: 2, max: 50}
load: {rate: 2500, max_inflight: 300, load_concurrency: 8}
warmup: 5s
phases:
  - {name: up, duration: 10s, rate: {from: 100, to: 1000}}
  - {duration: 30s, rate: {steps: [1000, 2000, 3000]}}
  - {duration: 1m, concurrency: 32}
run: {duration: 10m, operations: 1e6}
thresholds: ["read.p99 < 10ms"]
verify: true
cluster: {pd: [a:2379, b:2379], conns: 2, max_batch: 64, api_version: v2}
seed: 42
)",
                                   "w.yaml");
  BOOST_TEST(spec.name == "mixed");
  BOOST_TEST(spec.keyspace.record_count == 5000);
  BOOST_TEST(!spec.keyspace.hashed);
  BOOST_TEST(spec.keyspace.zero_padding == 8);
  BOOST_TEST(spec.keyspace.resolved_insert_count() == 4000);
  BOOST_TEST(spec.values.field_count == 4);
  BOOST_TEST((spec.values.field_length.kind == LengthDistribution::kUniform));
  BOOST_TEST(spec.values.field_length.min == 10);
  BOOST_TEST((spec.values.encoding == ValueEncoding::kRowCodec));
  BOOST_TEST(spec.mix.of(OpType::kRead) == 0.5);
  BOOST_TEST(spec.mix.of(OpType::kReadModifyWrite) == 0.0);  // unnamed types are 0
  BOOST_TEST(spec.mix.batch_size == 7);
  BOOST_TEST((spec.request_distribution.kind == KeyDistribution::kHotspot));
  BOOST_TEST(spec.request_distribution.hotspot_opn_fraction == 0.9);
  BOOST_TEST((spec.load_kind == LoadKind::kRate));
  BOOST_TEST(spec.load_level == 2500);
  BOOST_TEST(spec.max_inflight == 300u);
  BOOST_TEST(spec.warmup.count() == std::chrono::nanoseconds(5s).count());
  BOOST_REQUIRE(spec.phases.size() == 3u);
  BOOST_TEST((spec.phases[0].shape == PhaseShape::kRamp));
  BOOST_TEST(spec.phases[1].name == "phase2");
  BOOST_TEST((spec.phases[1].shape == PhaseShape::kSteps));
  BOOST_TEST((spec.phases[2].kind == LoadKind::kConcurrency));
  BOOST_TEST(*spec.bounds.operations == 1000000);
  BOOST_TEST(spec.verify);
  BOOST_TEST(spec.cluster.pd.size() == 2u);
  BOOST_TEST(*spec.cluster.api_version == "v2");
  BOOST_TEST(spec.seed == 42u);
}

BOOST_AUTO_TEST_CASE(yaml_errors_name_the_line_and_column) {
  BOOST_TEST(yaml_error("keyspace:\n  records: 10\n  colour: red\n").starts_with("w.yaml:3:3: unknown key 'colour'"));
  BOOST_TEST(yaml_error("keyspace:\n  records: many\n").starts_with("w.yaml:2:12: records must be a number"));
  BOOST_TEST(yaml_error("mix: {read: 0, update: 0}\n").find("sum to 0") != std::string::npos);
  BOOST_TEST(yaml_error("load: {rate: 0}\n").starts_with("w.yaml:1:14: rate must be above 0"));
  BOOST_TEST(yaml_error("load: {rate: -5}\n").find("above 0") != std::string::npos);
  BOOST_TEST(yaml_error("phases:\n  - rate: 100\n").starts_with("w.yaml:2:5: phase 'phase1' has no duration"));
  BOOST_TEST(yaml_error("phases:\n  - {duration: 0s, rate: 5}\n").find("above 0") != std::string::npos);
  BOOST_TEST(yaml_error("phases:\n  - {duration: 5s}\n").find("neither a rate nor a concurrency") != std::string::npos);
  BOOST_TEST(yaml_error("phases:\n  - {duration: 5s, rate: {from: 5}}\n").find("both from and to") != std::string::npos);
  BOOST_TEST(yaml_error("scan_length: 0\n").find("at least 1") != std::string::npos);
  BOOST_TEST(yaml_error("distribution: pareto\n").starts_with("w.yaml:1:15: distribution must be one of"));
  BOOST_TEST(yaml_error("verify: perhaps\n").find("true or false") != std::string::npos);
  BOOST_TEST(yaml_error("warmup: soon\n").find("warmup") != std::string::npos);
  BOOST_TEST(yaml_error("keyspace: [1, 2]\n").find("keyspace must be a mapping") != std::string::npos);
  BOOST_TEST(yaml_error("mix: {read: 1\n").starts_with("w.yaml:"));  // a syntax error
  BOOST_TEST(yaml_error("load: {concurrency: 2.5}\n").find("whole number") != std::string::npos);
  BOOST_TEST(yaml_error("keyspace: {records: 1, records: 2}\n").find("given twice") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(whole_numbers_read_exactly_and_ints_refuse_what_does_not_fit) {
  // Found by test/fuzz/properties_fuzz: read through a double, integers
  // above 2^53 came back as other numbers (500777777777777408 here).
  const auto spec = spec_from_yaml("keyspace: {records: 10}\nrun: {operations: 500777777777777379}\n"
                                   "seed: 1234567890123456789\n",
                                   "w.yaml");
  BOOST_TEST(*spec.bounds.operations == 500'777'777'777'777'379);
  BOOST_TEST(spec.seed == 1'234'567'890'123'456'789u);
  BOOST_TEST(*spec_from_yaml("keyspace: {records: 10}\nrun: {operations: 2e6}\n", "w.yaml").bounds.operations == 2'000'000);
  // Fields that are an int wrapped around: 2^32 + 1 read as 1.
  BOOST_TEST(yaml_error("keyspace: {records: 10}\nvalues: {fields: 4294967297}\n").find("fields is too large") !=
             std::string::npos);
  BOOST_TEST(yaml_error("keyspace: {records: 10, zero_padding: 4294967297}\n").find("too large") != std::string::npos);
  BOOST_TEST(yaml_error("keyspace: {records: 10}\nmix: {read: 1, batch_size: 4294967297}\n").find("too large") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_printed_spec_reads_back_to_the_same_spec) {
  const auto spec = spec_from_yaml(R"(
keyspace: {records: 77, order: ordered}
values: {size: {distribution: uniform, min: 5, max: 500}}
mix: {read: 0.25, batch_put: 0.75, batch_size: 3}
distribution: {type: zipfian, theta: 0.8}
phases:
  - {duration: 1500ms, rate: {from: 10, to: 20}, warmup: true}
  - {duration: 2s, concurrency: {steps: [1, 2]}}
run: {operations: 12}
seed: 9
)",
                                   "w.yaml");
  const auto printed = spec_to_yaml(spec);
  const auto again = spec_from_yaml(printed, "printed.yaml");
  BOOST_TEST(spec_to_yaml(again) == printed);
  BOOST_TEST(again.keyspace.record_count == 77);
  BOOST_TEST(again.values.value_size->max == 500);
  BOOST_TEST(again.mix.of(OpType::kBatchPut) == 0.75);
  BOOST_TEST(again.request_distribution.zipfian_theta == 0.8);
  BOOST_TEST(again.phases[0].warmup);
  BOOST_TEST(again.phases[0].duration.count() == std::chrono::nanoseconds(1500ms).count());
  BOOST_TEST(again.phases[1].steps.size() == 2u);
}

BOOST_AUTO_TEST_CASE(control_characters_in_names_survive_printing) {
  // A .properties escape can put a \r in the table name; printed unquoted,
  // a YAML reader would fold it into a line break (found by properties_fuzz).
  auto spec = spec_from_yaml("keyspace: {records: 5}\nmix: {read: 1}\n", "w.yaml");
  spec.keyspace.table = "user\r";
  spec.keyspace.key_prefix = "k\te\x01y";
  spec.name = "tab\there";
  const auto again = spec_from_yaml(spec_to_yaml(spec), "printed.yaml");
  BOOST_TEST(again.keyspace.table == "user\r");
  BOOST_TEST(again.keyspace.key_prefix == "k\te\x01y");
  BOOST_TEST(again.name == "tab\there");
}

BOOST_AUTO_TEST_CASE(overrides_use_go_ycsb_property_names_on_yaml_too) {
  const auto path = write_temp("tikv_bench_override.yaml", "keyspace: {records: 10}\nmix: {read: 1}\n");
  const auto loaded = read_workload(path, {"recordcount=500", "requestdistribution=latest"});
  BOOST_TEST(loaded.spec.keyspace.record_count == 500);
  BOOST_TEST((loaded.spec.request_distribution.kind == KeyDistribution::kLatest));
  BOOST_TEST(loaded.spec.name == "tikv_bench_override");
  BOOST_CHECK_THROW(read_workload(path, {"recordcount=lots"}), std::invalid_argument);
  BOOST_CHECK_THROW(read_workload("/nonexistent/w.yaml", {}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_properties_file_is_recognised_without_its_extension) {
  const auto path = write_temp("tikv_bench_props", "recordcount=321\nworkload=core\nreadproportion=1\nupdateproportion=0\n");
  const auto loaded = read_workload(path, {});
  BOOST_TEST(loaded.spec.keyspace.record_count == 321);
  BOOST_TEST(loaded.spec.mix.of(OpType::kUpdate) == 0.0);
}

BOOST_AUTO_TEST_CASE(a_constant_rate_schedules_evenly) {
  WorkloadSpec spec;
  spec.load_kind = LoadKind::kRate;
  spec.load_level = 1000;
  spec.bounds.duration = 10s;
  const Schedule schedule(spec);
  BOOST_TEST(schedule.start_of(0)->count() == 0);
  BOOST_TEST(std::chrono::duration_cast<std::chrono::microseconds>(*schedule.start_of(1)).count() == 1000);
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(*schedule.start_of(5000)).count() == 5000);
  BOOST_TEST(!schedule.start_of(10000).has_value());  // past the end
  BOOST_TEST(schedule.scheduled_before(10s) == 10000.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(a_linear_ramp_follows_the_area_under_the_rate) {
  WorkloadSpec spec;
  Phase ramp;
  ramp.duration = 10s;
  ramp.kind = LoadKind::kRate;
  ramp.shape = PhaseShape::kRamp;
  ramp.from = 100;
  ramp.to = 1100;
  spec.phases = {ramp};
  const Schedule schedule(spec);
  // Area over 10 s: (100 + 1100) / 2 * 10 = 6000 operations.
  BOOST_TEST(schedule.scheduled_before(10s) == 6000.0, boost::test_tools::tolerance(1e-9));
  // After t seconds: 100 t + 50 t^2; at t = 4: 400 + 800 = 1200.
  BOOST_TEST(schedule.scheduled_before(4s) == 1200.0, boost::test_tools::tolerance(1e-9));
  const auto t = std::chrono::duration<double>(*schedule.start_of(1200)).count();
  BOOST_TEST(t == 4.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(schedule.level_at(5s) == 600.0, boost::test_tools::tolerance(1e-9));
  // Start times never go backwards and the gaps shrink as the rate grows.
  double previous_gap = 1e9;
  for (int n = 1; n < 6000; n += 500) {
    const double gap = std::chrono::duration<double>(*schedule.start_of(n + 1) - *schedule.start_of(n)).count();
    BOOST_TEST(gap > 0);
    BOOST_TEST(gap < previous_gap);
    previous_gap = gap;
  }
}

BOOST_AUTO_TEST_CASE(steps_change_rate_exactly_at_their_boundaries_and_share_divides) {
  WorkloadSpec spec;
  Phase steps;
  steps.duration = 3s;
  steps.kind = LoadKind::kRate;
  steps.shape = PhaseShape::kSteps;
  steps.steps = {100, 200, 400};
  Phase closed;
  closed.duration = 2s;
  closed.kind = LoadKind::kConcurrency;
  closed.from = 8;
  spec.phases = {steps, closed, steps};
  const Schedule schedule(spec, 0.5);  // one of two shards
  BOOST_TEST(schedule.scheduled_before(1s) == 50.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(schedule.scheduled_before(3s) == 350.0, boost::test_tools::tolerance(1e-9));
  // The closed-loop phase schedules nothing; the second step phase starts at 5 s.
  BOOST_TEST(schedule.scheduled_before(5s) == 350.0, boost::test_tools::tolerance(1e-9));
  const auto next = std::chrono::duration<double>(*schedule.start_of(350)).count();
  BOOST_TEST(next == 5.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(schedule.level_at(2500ms) == 200.0);
  BOOST_TEST(schedule.level_at(4s) == 8.0);  // concurrency is not shared
  BOOST_TEST(*schedule.phase_at(4s) == 1u);
  BOOST_TEST(!schedule.phase_at(8s).has_value());
  BOOST_TEST(schedule.total()->count() == std::chrono::nanoseconds(8s).count());
}

BOOST_AUTO_TEST_CASE(a_warmup_comes_first_and_an_unbounded_run_never_ends) {
  WorkloadSpec spec;
  spec.load_kind = LoadKind::kRate;
  spec.load_level = 10;
  spec.warmup = 2s;
  const Schedule schedule(spec);
  BOOST_REQUIRE(schedule.phases().size() == 2u);
  BOOST_TEST(schedule.phases()[0].warmup);
  BOOST_TEST(!schedule.total().has_value());
  BOOST_TEST(*schedule.phase_at(std::chrono::hours(1000)) == 1u);
  const auto t = std::chrono::duration<double>(*schedule.start_of(1'000'000)).count();
  BOOST_TEST(t == 100'000.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(a_sealed_value_opens_only_under_its_own_key) {
  const auto sealed = seal_value("usertable:user1", 7, "payload");
  const auto opened = open_value("usertable:user1", sealed);
  BOOST_TEST(opened.intact);
  BOOST_TEST(opened.version == 7u);
  BOOST_TEST(!open_value("usertable:user2", sealed).intact);
  auto flipped = sealed;
  flipped.back() ^= 1;
  BOOST_TEST(!open_value("usertable:user1", flipped).intact);
  BOOST_TEST(!open_value("usertable:user1", "short").intact);
}

BOOST_AUTO_TEST_CASE(the_tracker_counts_stale_missing_and_corrupt_reads) {
  VerifyTracker tracker(0, 10);  // records 0..9 loaded at version 1
  // A loaded key read back at version 1: fine.
  auto token = tracker.begin_read(3);
  BOOST_TEST(tracker.end_read(3, token, "k3", seal_value("k3", 1, "x")));
  // A write acknowledged, then a read that returns the older version: lost.
  const auto v = tracker.begin_write(3);
  tracker.end_write(3, v, true);
  token = tracker.begin_read(3);
  BOOST_TEST(!tracker.end_read(3, token, "k3", seal_value("k3", 1, "x")));
  // A loaded key that is missing: lost.
  token = tracker.begin_read(4);
  BOOST_TEST(!tracker.end_read(4, token, "k4", std::nullopt));
  // A value stored under another key: corrupt.
  token = tracker.begin_read(5);
  BOOST_TEST(!tracker.end_read(5, token, "k5", seal_value("k6", 1, "x")));
  // A read racing a write is not judged on its version.
  token = tracker.begin_read(6);
  const auto w = tracker.begin_write(6);
  BOOST_TEST(tracker.end_read(6, token, "k6", seal_value("k6", 1, "x")));
  tracker.end_write(6, w, true);
  // A failed write leaves the old floor: the old version is still fine.
  const auto f = tracker.begin_write(7);
  tracker.end_write(7, f, false);
  token = tracker.begin_read(7);
  BOOST_TEST(tracker.end_read(7, token, "k7", seal_value("k7", 1, "x")));
  // A key never loaded nor written may be missing.
  token = tracker.begin_read(50);
  BOOST_TEST(tracker.end_read(50, token, "k50", std::nullopt));
  const auto counts = tracker.counts();
  BOOST_TEST(counts.lost == 2u);
  BOOST_TEST(counts.corrupt == 1u);
  BOOST_TEST(counts.checked == 6u);  // the read that raced a write is not judged
  BOOST_TEST(counts.examples.size() == 3u);
}

BOOST_AUTO_TEST_CASE(shards_split_the_load_and_the_inserts_between_them) {
  WorkloadSpec spec;
  spec.keyspace.record_count = 1000;
  spec.mix.weight = {0, 0, 1, 0, 0, 0, 0, 0};  // inserts only
  std::set<int64_t> loaded, inserted;
  for (size_t i = 0; i < 3; ++i) {
    OperationSource source(spec, Shard{i, 3});
    int64_t n = 0;
    while (auto record = source.next_load_record()) {
      BOOST_TEST(loaded.insert(*record).second);  // no record loaded twice
      ++n;
    }
    BOOST_TEST(n == source.load_records());
    Rng rng(i);
    for (int k = 0; k < 10; ++k) {
      const auto op = source.next(rng);
      BOOST_TEST(op.keys.front() >= 1000);
      BOOST_TEST(inserted.insert(op.keys.front()).second);  // no record inserted twice
      source.acknowledge_insert(op.keys.front());
    }
  }
  BOOST_TEST(loaded.size() == 1000u);
  BOOST_TEST(*loaded.begin() == 0);
  BOOST_TEST(*loaded.rbegin() == 999);
  // Together the shards insert 1000..1029 with no gap.
  BOOST_TEST(*inserted.rbegin() == 1029);
}

BOOST_AUTO_TEST_CASE(reads_never_name_a_record_past_the_acknowledged_inserts) {
  WorkloadSpec spec;
  spec.keyspace.record_count = 100;
  spec.mix.weight = {0.5, 0, 0.5, 0, 0, 0, 0, 0};
  spec.request_distribution.kind = KeyDistribution::kLatest;
  OperationSource source(spec);
  Rng rng(5);
  std::vector<int64_t> pending;  // inserts handed out, not yet acknowledged
  for (int i = 0; i < 20000; ++i) {
    const auto op = source.next(rng);
    if (op.type == OpType::kInsert) {
      pending.push_back(op.keys.front());
      // Acknowledge the oldest only now and then: the frontier lags.
      if (pending.size() > 5) {
        source.acknowledge_insert(pending.front());
        pending.erase(pending.begin());
      }
    } else {
      const int64_t frontier = pending.empty() ? 1 << 30 : pending.front() - 1;
      BOOST_TEST_REQUIRE(op.keys.front() <= frontier);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_run_duration_cuts_the_phases_short) {
  WorkloadSpec spec;
  Phase ramp;
  ramp.name = "ramp";
  ramp.duration = 10s;
  ramp.kind = LoadKind::kRate;
  ramp.shape = PhaseShape::kRamp;
  ramp.from = 100;
  ramp.to = 1100;
  Phase steps;
  steps.name = "steps";
  steps.duration = 30s;
  steps.kind = LoadKind::kRate;
  steps.shape = PhaseShape::kSteps;
  steps.steps = {10, 20, 30};
  spec.phases = {ramp, steps};
  spec.warmup = 5s;
  spec.bounds.duration = 25s;
  const Schedule schedule(spec);
  // warm-up 5 s, the whole ramp, then steps 1 (10 s) and half of step 2.
  BOOST_REQUIRE(schedule.phases().size() == 4u);
  BOOST_TEST(schedule.phases()[2].name == "steps step 1");
  BOOST_TEST(schedule.phases()[3].from == 20.0);
  BOOST_TEST(schedule.total()->count() == std::chrono::nanoseconds(30s).count());
  spec.bounds.duration = 4s;
  const Schedule short_ramp(spec);
  BOOST_REQUIRE(short_ramp.phases().size() == 2u);
  BOOST_TEST(short_ramp.phases()[1].to == 500.0, boost::test_tools::tolerance(1e-9));  // the rate at 4 s
}

BOOST_AUTO_TEST_SUITE_END()  // workload_spec_test
