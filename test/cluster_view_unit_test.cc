// The pieces behind what a run shows of the cluster, each on its own:
// the event log (merging, bound, hand-out), the stretches without a
// success, the slowest store, the per-store Prometheus families and the
// records' bound with stores, availability windows and their thresholds.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

#include "measure/recorder.h"
#include "measure/success_gaps.h"
#include "report/availability.h"
#include "report/prometheus_text.h"
#include "report/run_log.h"
#include "report/slowest_store.h"
#include "report/threshold.h"
#include "util/event_log.h"

BOOST_AUTO_TEST_SUITE(cluster_view_unit_test)

namespace {

using namespace std::chrono_literals;
using tikvbench::EventLog;
using tikvbench::measure::Figures;
using tikvbench::measure::OpRecord;
using tikvbench::measure::OpType;
using tikvbench::measure::Recorder;
using tikvbench::measure::StoreShare;
using tikvbench::measure::SuccessGaps;

// `n` successful reads on `store`, each taking `us`.
void record_reads(Recorder& recorder, uint64_t store, int n, int64_t us) {
  for (int i = 0; i < n; ++i) {
    OpRecord r;
    r.op = OpType::kRead;
    r.service_us = us;
    r.intended_us = us;
    r.store_id = store;
    recorder.record(0, r);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(repeats_within_a_second_merge_into_one_event_with_a_count) {
  const auto start = EventLog::Clock::now();
  EventLog log(start);
  log.add_at(start + 100ms, "server_busy", 2, "scheduler busy");
  log.add_at(start + 600ms, "server_busy", 2, "scheduler busy");
  log.add_at(start + 900ms, "server_busy", 3, "scheduler busy");  // another store: its own event
  log.add_at(start + 1200ms, "server_busy", 2, "scheduler busy");  // over a second after the first: a new one
  const auto events = log.events();
  BOOST_REQUIRE(events.size() == 3u);
  BOOST_TEST(events[0].count == 2u);
  BOOST_TEST(events[0].store == 2u);
  BOOST_TEST((events[0].t == 100ms));
  BOOST_TEST(events[1].store == 3u);
  BOOST_TEST(events[2].count == 1u);
  BOOST_TEST((events[2].t == 1200ms));
}

BOOST_AUTO_TEST_CASE(events_before_the_run_get_negative_times_and_never_swallow_the_runs) {
  const auto created = EventLog::Clock::now();
  EventLog log(created);
  log.add_at(created + 20s, "store_down", 1, "127.0.0.1:20160");  // during a load
  log.restart_clock(created + 30s);                                 // the run starts
  log.add_at(created + 40s, "store_down", 1, "127.0.0.1:20160");   // 10 s into the run
  const auto events = log.events();
  BOOST_REQUIRE(events.size() == 2u);
  BOOST_TEST((events[0].t == -10s));
  BOOST_TEST((events[1].t == 10s));
  BOOST_TEST(log.counts_by_kind().at("store_down") == 2u);
}

BOOST_AUTO_TEST_CASE(the_event_log_keeps_its_bound_and_counts_what_it_drops) {
  const auto start = EventLog::Clock::now();
  EventLog log(start, 3);
  for (int i = 0; i < 5; ++i) log.add_at(start + std::chrono::seconds(2 * i), "user", 0, "line");
  BOOST_TEST(log.events().size() == 3u);
  BOOST_TEST(log.dropped() == 2u);
  BOOST_TEST(log.counts_by_kind().at("user") == 5u);  // a counter that never stalls
}

BOOST_AUTO_TEST_CASE(take_new_hands_out_each_event_once) {
  EventLog log;
  log.add("user", 0, "kill tikv-1");
  BOOST_TEST(log.take_new().size() == 1u);
  BOOST_TEST(log.take_new().empty());
  log.add("user", 0, "start tikv-1");
  const auto fresh = log.take_new();
  BOOST_REQUIRE(fresh.size() == 1u);
  BOOST_TEST(fresh[0].detail == "start tikv-1");
  BOOST_TEST(log.events().size() == 2u);
}

BOOST_AUTO_TEST_CASE(the_longest_stretch_without_a_success_is_found_to_the_millisecond) {
  SuccessGaps gaps;
  for (int ms = 0; ms < 1000; ++ms) gaps.success(std::chrono::milliseconds(ms));
  gaps.success(3500ms);  // nothing from 1000 ms to 3500 ms
  for (int ms = 3501; ms < 4000; ++ms) gaps.success(std::chrono::milliseconds(ms));
  gaps.settle(4000ms);
  const auto longest = gaps.longest();
  BOOST_TEST((longest.start == 1000ms));
  BOOST_TEST((longest.length == 2500ms));
}

BOOST_AUTO_TEST_CASE(a_stretch_still_open_at_the_end_counts_and_skipped_time_does_not) {
  SuccessGaps gaps;
  gaps.skip_to(5s);  // a warm-up: no successes counted, none expected
  gaps.success(5001ms);
  gaps.settle(5002ms);
  BOOST_TEST((gaps.longest().length == 1ms));  // the tick before the first success
  gaps.settle(6000ms);                         // no success since 5001 ms
  BOOST_TEST((gaps.longest().start == 5002ms));
  BOOST_TEST((gaps.longest().length == 998ms));
}

BOOST_AUTO_TEST_CASE(operations_count_for_their_store_and_split_batches_for_each_part) {
  Recorder recorder(1, 1);
  record_reads(recorder, 1, 10, 500);
  OpRecord batch;
  batch.op = OpType::kBatchGet;
  batch.ok = false;  // one part failed: the operation failed
  batch.store_id = 0;
  const StoreShare parts[] = {{1, true, 800, 900}, {2, false, 3000, 3100}};
  batch.parts = parts;
  recorder.record(0, batch);
  recorder.take_interval();
  const auto& stores = recorder.totals().stores;
  BOOST_REQUIRE(stores.size() == 2u);
  BOOST_TEST(stores.at(1).ops[0].count == 10u);
  BOOST_TEST(stores.at(1).ops[static_cast<size_t>(OpType::kBatchGet)].count == 1u);
  BOOST_TEST(stores.at(2).ops[static_cast<size_t>(OpType::kBatchGet)].errors == 1u);
  BOOST_TEST(recorder.totals().ops[static_cast<size_t>(OpType::kBatchGet)].errors == 1u);
  // A store's histograms keep 2 significant figures.
  BOOST_TEST(stores.at(1).ops[0].ok_intended->significant_figures() == 2);
}

BOOST_AUTO_TEST_CASE(the_slowest_store_is_named_only_past_twice_the_fastest) {
  Recorder recorder(1, 1);
  record_reads(recorder, 1, 20, 1'000);
  record_reads(recorder, 2, 20, 1'900);
  recorder.take_interval();
  BOOST_TEST(!tikvbench::report::slowest_store(recorder.totals()).has_value());
  record_reads(recorder, 1, 20, 1'000);
  record_reads(recorder, 3, 20, 50'000);
  record_reads(recorder, 4, 2, 900'000);  // too few to take part
  const auto interval = recorder.take_interval();
  const auto slowest = tikvbench::report::slowest_store(*interval.recorded);
  BOOST_REQUIRE(slowest.has_value());
  BOOST_TEST(slowest->store_id == 3u);
  BOOST_TEST(slowest->fastest_store_id == 1u);
  BOOST_TEST(slowest->ratio > 40.0);
  const auto text = tikvbench::report::slowest_store_text(*slowest, {{3, "10.0.0.3:20160"}});
  BOOST_TEST(text.find("slowest store 3 (10.0.0.3:20160): read p99") == 0u, text);
}

BOOST_AUTO_TEST_CASE(prometheus_has_store_families_beside_the_unchanged_ones) {
  Recorder recorder(1, 1);
  record_reads(recorder, 7, 3, 2'000);
  recorder.take_interval();
  tikvbench::report::MetricsSnapshot snapshot;
  snapshot.totals = &recorder.totals();
  snapshot.store_addresses = {{7, "127.0.0.1:20160"}};
  snapshot.retries_by_store = {{7, {{"not_leader", 4}}}};
  snapshot.events_by_kind = {{"leader_move", 2}};
  const auto text = tikvbench::report::prometheus_text(snapshot);
  BOOST_TEST(text.find("tikv_bench_operations_total{op=\"read\",result=\"ok\"} 3\n") != std::string::npos, text);
  BOOST_TEST(text.find("tikv_bench_store_operations_total{store=\"7\",address=\"127.0.0.1:20160\",op=\"read\","
                       "result=\"ok\"} 3\n") != std::string::npos,
             text);
  BOOST_TEST(text.find("tikv_bench_store_retries_total{store=\"7\",address=\"127.0.0.1:20160\",reason=\"not_leader\"} "
                       "4\n") != std::string::npos,
             text);
  BOOST_TEST(text.find("tikv_bench_store_operation_intended_duration_seconds_bucket{store=\"7\",address=\"127.0.0.1:"
                       "20160\",op=\"read\",le=\"+Inf\"} 3\n") != std::string::npos,
             text);
  BOOST_TEST(text.find("tikv_bench_events_total{kind=\"leader_move\"} 2\n") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(stores_make_the_interval_records_coarser_within_the_same_bound) {
  tikvbench::report::RunLogOutputs outputs;
  outputs.max_intervals = 40;
  tikvbench::report::RunLog log(std::chrono::system_clock::now(), outputs);
  Figures interval;
  for (uint64_t store = 1; store <= 3; ++store) {
    auto& op = interval.stores[store].ops[0];
    op.count = 1;
  }
  interval.ops[0].count = 3;
  for (int i = 1; i <= 100; ++i) {
    log.add(std::chrono::seconds(i), 1s, "main", false, 0, interval);
  }
  size_t shares = 0;
  for (const auto& record : log.intervals()) shares += 1 + record.stores.size();
  BOOST_TEST(shares <= 40u);
  BOOST_TEST(log.intervals().size() >= 5u);
  uint64_t count = 0;
  for (const auto& record : log.intervals()) count += record.stores.at(2)[0].count;
  BOOST_TEST(count == 100u);  // merged, nothing lost
}

BOOST_AUTO_TEST_CASE(availability_and_max_gap_parse_as_run_thresholds_only) {
  using tikvbench::report::parse_threshold;
  const auto availability = parse_threshold("availability>=99.9%");
  BOOST_TEST(availability.limit == 0.999, boost::test_tools::tolerance(1e-12));
  const auto gap = parse_threshold("max_gap < 5s");
  BOOST_TEST(gap.limit == 5e6, boost::test_tools::tolerance(1e-9));
  BOOST_CHECK_THROW(parse_threshold("read.availability>=99%"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_threshold("max_gap<5s abort"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_threshold("max_gap<5"), std::invalid_argument);
  tikvbench::report::ThresholdContext context;
  context.max_gap = 6s;
  context.availability = 0.95;
  const Figures none;
  BOOST_TEST(!tikvbench::report::evaluate(gap, none, context).ok);
  BOOST_TEST(!tikvbench::report::evaluate(availability, none, context).ok);
  context.max_gap = 4s;
  BOOST_TEST(tikvbench::report::evaluate(gap, none, context).ok);
  BOOST_CHECK_THROW(tikvbench::report::parse_slo("read.p99<1ms,max_gap<1s"), std::invalid_argument);
  BOOST_CHECK_THROW(tikvbench::report::parse_slo("read.p99<<1ms"), std::invalid_argument);
  BOOST_TEST(tikvbench::report::parse_slo("read.p99<10ms, error_rate<1%").size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_window_breaks_on_its_slo_or_without_a_success) {
  using tikvbench::report::AvailabilityWindows;
  AvailabilityWindows windows(2s, tikvbench::report::parse_slo("read.p99<10ms"));
  Recorder recorder(1, 1);
  const auto interval = [&](int end_s) {
    tikvbench::workload::IntervalStatus status;
    status.elapsed = std::chrono::seconds(end_s);
    status.length = 1s;
    status.figures = recorder.take_interval().recorded;
    windows.on_interval(status);
  };
  record_reads(recorder, 1, 10, 1'000);
  interval(1);
  record_reads(recorder, 1, 10, 2'000);
  interval(2);  // window 0-2 s: holds
  record_reads(recorder, 1, 10, 50'000);
  interval(3);
  interval(4);  // window 2-4 s: p99 50 ms
  interval(5);
  interval(6);  // window 4-6 s: nothing succeeded
  record_reads(recorder, 1, 10, 1'000);
  interval(7);  // window 6-7 s, closed by finish
  tikvbench::workload::RunResult result;
  result.longest_gap = 2s;
  result.longest_gap_start = 4s;
  const auto summary = windows.finish(result);
  BOOST_TEST(summary.windows == 4u);
  BOOST_TEST(summary.broken == 2u);
  BOOST_TEST(summary.availability_pct == 50.0, boost::test_tools::tolerance(1e-9));
  BOOST_REQUIRE(summary.broken_ranges.size() == 1u);  // neighbours merged
  BOOST_TEST(summary.broken_ranges[0].first == 2.0);
  BOOST_TEST(summary.broken_ranges[0].second == 6.0);
  BOOST_REQUIRE(summary.worst.has_value());
  BOOST_TEST(summary.worst->start_s == 4.0);  // no success beats any slow one
  BOOST_TEST(summary.worst->broke.front() == "no successful operation");
  BOOST_TEST(summary.longest_gap_s == 2.0);
}

BOOST_AUTO_TEST_SUITE_END()
