// The runner against the in-process mock cluster: load and run with
// verification, lost writes caught, open-loop rate and latency from the
// intended start, warm-up phases not recorded.
#include <boost/test/unit_test.hpp>

#include "mock/fault_injector.h"
#include "support/client_fixture.h"
#include "workload/runner.h"

// A suite of the one test executable; meson runs it as "runner".
BOOST_AUTO_TEST_SUITE(runner_test)

using namespace tikvbench;
using namespace tikvbench::workload;
using namespace std::chrono_literals;

namespace {

WorkloadSpec small_spec(int64_t records) {
  WorkloadSpec spec;
  spec.source = "test";
  spec.keyspace.record_count = records;
  spec.values.field_count = 2;
  spec.values.field_length = {LengthDistribution::kConstant, 1, 50};
  spec.load_level = 8;
  spec.seed = 7;
  return spec;
}

RunResult run(test::ClientFixture& fixture, const WorkloadSpec& spec, RunMode mode, VerifyTracker* tracker = nullptr) {
  validate(spec);
  RunnerOptions options;
  options.mode = mode;
  options.seed = spec.seed;
  options.verify = tracker;
  options.status_interval = 200ms;
  Runner runner(spec, fixture.raw(), fixture.client->loops(), options);
  return runner.run();
}

const measure::OpFigures& op(const RunResult& result, OpType type) { return result.totals.ops[static_cast<size_t>(type)]; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_verified_run_after_a_load_loses_nothing) {
  test::ClientFixture fixture;
  auto spec = small_spec(2000);
  spec.verify = true;
  // Every kind of operation: read update insert scan rmw delete batch_get batch_put.
  spec.mix.weight = {0.45, 0.2, 0.1, 0.05, 0.1, 0.03, 0.05, 0.02};
  spec.request_distribution.kind = KeyDistribution::kLatest;
  spec.bounds.operations = 6000;
  VerifyTracker tracker(0, 2000);
  const auto loaded = run(fixture, spec, RunMode::kLoad, &tracker);
  BOOST_TEST(op(loaded, OpType::kInsert).count == 2000u);
  BOOST_TEST(op(loaded, OpType::kInsert).errors == 0u);
  const auto result = run(fixture, spec, RunMode::kRun, &tracker);
  BOOST_TEST(result.totals.total_count() + result.totals.total_errors() == 6000u);
  BOOST_TEST(result.totals.total_errors() == 0u);
  for (size_t type = 0; type < kOpTypeCount; ++type) {
    BOOST_TEST(result.totals.ops[type].count > 0u, op_name(static_cast<OpType>(type)));
  }
  BOOST_REQUIRE(result.verify.has_value());
  BOOST_TEST(result.verify->checked > 2000u);
  BOOST_TEST(result.verify->lost == 0u);
  BOOST_TEST(result.verify->corrupt == 0u);
}

BOOST_AUTO_TEST_CASE(verification_catches_writes_the_cluster_dropped) {
  test::ClientFixture fixture;
  auto spec = small_spec(50);
  spec.verify = true;
  spec.load_level = 1;
  spec.request_distribution.kind = KeyDistribution::kSequential;
  VerifyTracker tracker(0, 50);
  run(fixture, spec, RunMode::kLoad, &tracker);
  // Update every record once; the store acknowledges 5 of them without
  // storing them.
  fixture.cluster.faults().drop_writes(5);
  spec.mix.weight = {0, 1, 0, 0, 0, 0, 0, 0};
  spec.bounds.operations = 50;
  const auto updates = run(fixture, spec, RunMode::kRun, &tracker);
  BOOST_TEST(op(updates, OpType::kUpdate).count == 50u);
  // Read every record back.
  spec.mix.weight = {1, 0, 0, 0, 0, 0, 0, 0};
  const auto reads = run(fixture, spec, RunMode::kRun, &tracker);
  BOOST_TEST(op(reads, OpType::kRead).count == 50u);
  BOOST_REQUIRE(reads.verify.has_value());
  BOOST_TEST(reads.verify->lost == 5u);
  BOOST_TEST(reads.verify->corrupt == 0u);
  BOOST_TEST(reads.verify->examples.size() == 5u);
  BOOST_TEST(reads.verify->examples.front().find("was acknowledged") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_open_loop_run_starts_every_scheduled_operation_on_time) {
  test::ClientFixture fixture;
  auto spec = small_spec(1000);
  run(fixture, spec, RunMode::kLoad);
  spec.load_kind = LoadKind::kRate;
  spec.load_level = 5000;
  spec.bounds.duration = 2s;
  const auto started = std::chrono::steady_clock::now();
  const auto result = run(fixture, spec, RunMode::kRun);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Every one of the 10,000 scheduled operations ran, none dropped.
  BOOST_TEST(result.totals.total_count() == 10000u);
  BOOST_TEST(result.totals.total_errors() == 0u);
  // ... over the schedule's 2 seconds, not faster (a loaded machine may
  // take longer: no upper bound).
  BOOST_TEST(took >= 1.99);
  BOOST_TEST(std::chrono::duration<double>(result.recorded).count() >= 1.99);
}

BOOST_AUTO_TEST_CASE(latency_from_the_intended_start_includes_queueing_for_a_slot) {
  mock::MockClusterOptions options = test::small_cluster_options();
  options.latency = mock::parse_latency("10ms");
  test::ClientFixture fixture(options);
  auto spec = small_spec(100);
  run(fixture, spec, RunMode::kLoad);
  // 1,000 ops/s, but at most 4 in flight of 10 ms each: 400 ops/s at best.
  spec.load_kind = LoadKind::kRate;
  spec.load_level = 1000;
  spec.max_inflight = 4;
  spec.bounds.duration = 1s;
  const auto result = run(fixture, spec, RunMode::kRun);
  const auto& reads = op(result, OpType::kRead);
  const auto& updates = op(result, OpType::kUpdate);
  BOOST_TEST(reads.count + updates.count == 1000u);  // queued, never dropped
  BOOST_TEST(result.totals.late > 500u);
  const auto service_p50 = reads.ok_service->value_at_percentile(50);
  const auto intended_p50 = reads.ok_intended->value_at_percentile(50);
  BOOST_TEST(service_p50 >= 10'000);
  // Half of the operations waited more than ~0.5 s behind schedule.
  BOOST_TEST(intended_p50 > 10 * service_p50);
}

BOOST_AUTO_TEST_CASE(warmup_phases_run_but_are_not_recorded) {
  test::ClientFixture fixture;
  auto spec = small_spec(500);
  run(fixture, spec, RunMode::kLoad);
  Phase warmup;
  warmup.name = "warm";
  warmup.duration = 500ms;
  warmup.kind = LoadKind::kRate;
  warmup.from = 2000;
  warmup.warmup = true;
  Phase main;
  main.name = "main";
  main.duration = 1s;
  main.kind = LoadKind::kRate;
  main.shape = PhaseShape::kSteps;
  main.steps = {1000, 3000};
  spec.phases = {warmup, main};
  const auto result = run(fixture, spec, RunMode::kRun);
  // 1,000 warm-up operations ran; the 2,000 of the main phase were recorded.
  BOOST_TEST(result.started == 3000u);
  BOOST_TEST(result.totals.total_count() == 2000u);
  // The recorded time is the main phase's 1 s, or longer when its last
  // operations finished late (a slow machine): never less.
  BOOST_TEST(std::chrono::duration<double>(result.recorded).count() >= 1.0 - 1e-9);
}

BOOST_AUTO_TEST_CASE(a_closed_loop_run_stops_at_its_operation_bound) {
  test::ClientFixture fixture;
  auto spec = small_spec(300);
  run(fixture, spec, RunMode::kLoad);
  spec.load_level = 32;
  spec.bounds.operations = 4321;
  spec.mix.weight = {0.4, 0.2, 0, 0.1, 0.1, 0.1, 0.05, 0.05};
  spec.request_distribution.kind = KeyDistribution::kZipfian;
  const auto result = run(fixture, spec, RunMode::kRun);
  BOOST_TEST(result.totals.total_count() + result.totals.total_errors() == 4321u);
  BOOST_TEST(result.totals.total_errors() == 0u);
  for (size_t i = 0; i < kOpTypeCount; ++i) {
    if (i == static_cast<size_t>(OpType::kInsert)) continue;
    BOOST_TEST(result.totals.ops[i].count > 0u, kOpTypeNames[i]);
  }
}

BOOST_AUTO_TEST_CASE(a_stop_request_ends_the_run_early) {
  test::ClientFixture fixture;
  auto spec = small_spec(100);
  run(fixture, spec, RunMode::kLoad);
  std::atomic<bool> stop{false};
  RunnerOptions options;
  options.stop = &stop;
  options.status_interval = 50ms;
  int intervals = 0;
  options.on_interval = [&](const IntervalStatus&) {
    if (++intervals == 3) stop.store(true);
  };
  Runner runner(spec, fixture.raw(), fixture.client->loops(), options);  // unbounded
  const auto result = runner.run();
  BOOST_TEST(result.stopped);
  BOOST_TEST(result.totals.total_count() > 0u);
}

// After a stop, what is still in flight when the grace time runs out is
// cancelled and waited for: run() returns with every operation ended,
// counted as cancelled, none as an error. Closed loop with replies that
// never come, closed loop backing off a busy store, open loop.
BOOST_AUTO_TEST_CASE(a_stop_whose_grace_runs_out_cancels_what_is_in_flight) {
  for (const std::string_view stall : {"lost replies", "busy store", "open loop"}) {
    BOOST_TEST_CONTEXT(stall) {
      test::ClientFixture fixture;
      auto spec = small_spec(100);
      run(fixture, spec, RunMode::kLoad);
      if (stall == "busy store") fixture.cluster.faults().set_busy_fraction(1.0);
      else fixture.cluster.faults().lose_replies(1'000'000);
      if (stall == "open loop") {
        spec.load_kind = LoadKind::kRate;
        spec.load_level = 200;
        spec.max_inflight = 50;
      }
      std::atomic<bool> stop{false};
      RunnerOptions options;
      options.stop = &stop;
      options.status_interval = 50ms;
      options.grace = 100ms;
      options.on_interval = [&](const IntervalStatus& status) {
        if (status.inflight > 0) stop.store(true);
      };
      Runner runner(spec, fixture.raw(), fixture.client->loops(), options);  // unbounded
      const auto result = runner.run();
      BOOST_TEST(result.stopped);
      BOOST_TEST(result.cancelled_in_flight > 0u);
      BOOST_TEST(result.totals.total_cancelled() + result.warmup.total_cancelled() == result.cancelled_in_flight);
      BOOST_TEST(result.totals.total_errors() == 0u);
      BOOST_TEST(result.totals.total_count() == 0u);
      fixture.cluster.faults().set_busy_fraction(0);
      fixture.cluster.faults().lose_replies(0);
      // The client serves on after the run.
      BOOST_TEST(fixture.run(fixture.raw().put("after", "v")).ok());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()  // runner_test
