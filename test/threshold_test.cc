// Thresholds: the expression grammar and evaluation on recorded figures
// (the abort watch: abort_watch_test.cc).
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "measure/recorder.h"
#include "report/threshold.h"
#include "support/recorded_figures.h"

// A suite of the one test executable; meson runs it as "threshold".
BOOST_AUTO_TEST_SUITE(threshold_test)

using namespace tikvbench;
using namespace tikvbench::report;
using namespace tikvbench::measure;
using namespace std::chrono_literals;
using workload::OpType;
using namespace tikvbench::test;

namespace {

ThresholdResult eval(std::string_view text, const Figures& figures, std::chrono::nanoseconds duration = 10s,
                     std::optional<double> target = std::nullopt) {
  return evaluate(parse_threshold(text), figures, ThresholdContext{duration, target});
}

// The message parse_threshold(text) throws; fails the test when it does not.
std::string refusal(std::string_view text) {
  try {
    parse_threshold(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  BOOST_ERROR("accepted: " << text);
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parsing)

BOOST_AUTO_TEST_CASE(every_scope_parses_with_and_without_an_operation) {
  const Threshold read = parse_threshold("read.p99<10ms");
  BOOST_TEST((read.op == OpType::kRead));
  BOOST_TEST(!read.service);
  BOOST_TEST(read.limit == 10'000.0);
  BOOST_TEST(read.expr == "read.p99<10ms");

  BOOST_TEST(!parse_threshold("p99 < 10ms").op.has_value());
  BOOST_TEST(!parse_threshold("all.p99 < 10ms").op.has_value());

  const Threshold service = parse_threshold("service.p99 < 10ms");
  BOOST_TEST(!service.op.has_value());
  BOOST_TEST(service.service);
  const Threshold read_service = parse_threshold("read.service.p99 < 10ms");
  BOOST_TEST((read_service.op == OpType::kRead));
  BOOST_TEST(read_service.service);
  const Threshold all_service = parse_threshold("all.service.max < 1s");
  BOOST_TEST(!all_service.op.has_value());
  BOOST_TEST(all_service.service);

  const std::vector<std::pair<std::string, OpType>> ops = {
      {"read", OpType::kRead},     {"update", OpType::kUpdate},
      {"insert", OpType::kInsert}, {"scan", OpType::kScan},
      {"read_modify_write", OpType::kReadModifyWrite},
      {"delete", OpType::kDelete}, {"batch_get", OpType::kBatchGet},
      {"batch_put", OpType::kBatchPut},
  };
  for (const auto& [name, op] : ops) {
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST((parse_threshold(name + ".p50 <= 1ms").op == op));
      BOOST_TEST((parse_threshold(name + ".errors == 0").op == op));
    }
  }
}

BOOST_AUTO_TEST_CASE(every_metric_parses_with_its_value_in_its_unit) {
  struct Case {
    std::string text;
    ThresholdMetric metric;
    double limit;
  };
  const std::vector<Case> cases = {
      {"p50 < 1ms", ThresholdMetric::kP50, 1'000},
      {"p75 < 250us", ThresholdMetric::kP75, 250},
      {"p90 < 2ms", ThresholdMetric::kP90, 2'000},
      {"p95 < 1s", ThresholdMetric::kP95, 1'000'000},
      {"p99 < 1.5ms", ThresholdMetric::kP99, 1'500},
      {"p99.9 < 100ms", ThresholdMetric::kP999, 100'000},
      {"p99.99 < 1m", ThresholdMetric::kP9999, 60'000'000},
      {"max < 500ns", ThresholdMetric::kMax, 0.5},
      {"mean < 3ms", ThresholdMetric::kMean, 3'000},
      {"error_rate < 1%", ThresholdMetric::kErrorRate, 0.01},
      {"error_rate < 0.01", ThresholdMetric::kErrorRate, 0.01},
      {"rate >= 10000", ThresholdMetric::kRate, 10'000},
      {"rate >= 12.5", ThresholdMetric::kRate, 12.5},
      {"count >= 1000", ThresholdMetric::kCount, 1'000},
      {"errors == 0", ThresholdMetric::kErrors, 0},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.text) {
      const Threshold t = parse_threshold(c.text);
      BOOST_TEST((t.metric == c.metric));
      BOOST_TEST(std::abs(t.limit - c.limit) <= 1e-9 * std::max(1.0, c.limit));
      BOOST_TEST(!t.rate_of_target);
      BOOST_TEST(!t.abort);
      BOOST_TEST(t.is_latency() == (c.metric <= ThresholdMetric::kMean));
    }
  }
  const Threshold of_target = parse_threshold("rate >= 95%");
  BOOST_TEST(of_target.rate_of_target);
  BOOST_TEST(of_target.needs_target());
  BOOST_TEST(std::abs(of_target.limit - 0.95) < 1e-12);
  BOOST_TEST(!parse_threshold("rate >= 9500").needs_target());
}

BOOST_AUTO_TEST_CASE(the_json_percentile_names_p999_and_p9999_mean_p99_9_and_p99_99) {
  const Threshold p999 = parse_threshold("read.service.p999 < 100ms");
  BOOST_TEST((p999.metric == ThresholdMetric::kP999));
  BOOST_TEST(p999.service);
  BOOST_TEST(p999.limit == 100'000.0);
  BOOST_TEST((parse_threshold("p9999 <= 1s abort after 5s").metric == ThresholdMetric::kP9999));
  const Figures figures = queued_reads();
  for (const auto& [json_name, name] : {std::pair{"p999", "p99.9"}, std::pair{"p9999", "p99.99"}}) {
    BOOST_TEST_CONTEXT(json_name) {
      const ThresholdResult by_json_name = eval(std::string("read.") + json_name + " < 50ms", figures);
      const ThresholdResult by_name = eval(std::string("read.") + name + " < 50ms", figures);
      BOOST_TEST(by_json_name.raw_value == by_name.raw_value);
      BOOST_TEST(by_json_name.value == by_name.value);
      BOOST_TEST(by_json_name.ok == by_name.ok);
    }
  }
  // The message for a metric it does not know lists them.
  BOOST_TEST(refusal("read.p98 < 10ms").find("p99.9 (or p999), p99.99 (or p9999)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_comparator_parses) {
  BOOST_TEST((parse_threshold("p99<1ms").comparator == Comparator::kLess));
  BOOST_TEST((parse_threshold("p99<=1ms").comparator == Comparator::kLessEqual));
  BOOST_TEST((parse_threshold("p99>1ms").comparator == Comparator::kGreater));
  BOOST_TEST((parse_threshold("p99>=1ms").comparator == Comparator::kGreaterEqual));
  BOOST_TEST((parse_threshold("p99==1ms").comparator == Comparator::kEqual));
}

BOOST_AUTO_TEST_CASE(whitespace_is_allowed_between_any_tokens) {
  const Threshold tight = parse_threshold("read.service.p99.9<=10ms abort after 30s");
  const Threshold loose = parse_threshold("  read . service . p99.9   <=\t10ms   abort   after   30s  ");
  for (const Threshold* t : {&tight, &loose}) {
    BOOST_TEST((t->op == OpType::kRead));
    BOOST_TEST(t->service);
    BOOST_TEST((t->metric == ThresholdMetric::kP999));
    BOOST_TEST((t->comparator == Comparator::kLessEqual));
    BOOST_TEST(t->limit == 10'000.0);
    BOOST_TEST(t->abort);
    BOOST_TEST((t->grace == 30s));
  }
  // The expression is kept as written, less the surrounding space.
  BOOST_TEST(loose.expr == "read . service . p99.9   <=\t10ms   abort   after   30s");
}

BOOST_AUTO_TEST_CASE(abort_takes_an_optional_grace_period) {
  const Threshold plain = parse_threshold("p99 < 10ms");
  BOOST_TEST(!plain.abort);
  const Threshold abort = parse_threshold("p99 < 10ms abort");
  BOOST_TEST(abort.abort);
  BOOST_TEST((abort.grace == kDefaultAbortGrace));
  BOOST_TEST((kDefaultAbortGrace == 10s));
  BOOST_TEST((parse_threshold("error_rate<1% abort after 1m").grace == 60s));
  BOOST_TEST((parse_threshold("errors == 0 abort after 0s").grace == 0s));
  BOOST_TEST((parse_threshold("rate >= 95% abort after 500ms").grace == 500ms));
}

BOOST_AUTO_TEST_CASE(bad_expressions_are_refused_naming_the_expression_and_the_problem) {
  struct Case {
    std::string text;
    std::string problem;  // a fragment the message must contain
  };
  const std::vector<Case> cases = {
      {"", "empty"},
      {"   ", "empty"},
      {"read.p99<<10ms", "expected a duration after '<'"},
      {"read.p99 <", "expected a duration after '<'"},
      {"p99 <= ", "expected a duration after '<='"},
      {"read.p99 10ms", "expected a comparator"},
      {"read.p99", "expected a comparator"},
      {"p99 = 10ms", "unknown comparator '='"},
      {"p99 != 10ms", "unknown comparator '!='"},
      {"p99 => 10ms", "unknown comparator '=>'"},
      {"reed.p99 < 10ms", "unknown operation 'reed'"},
      {"read.p98 < 10ms", "unknown metric 'p98'"},
      {"read.latency < 10ms", "unknown metric 'latency'"},
      {"read < 10ms", "'read' needs a metric"},
      {"read.service < 10ms", "'read.service' needs a metric"},
      {"read. < 10ms", "expected a metric after 'read.'"},
      {"< 10ms", "expected a metric"},
      {"read.update.p99 < 10ms", "expected 'service' or a metric after 'read.', got 'update'"},
      {"service.read.p99 < 10ms", "'service' goes after the operation"},
      {"read.service.p99.x < 1ms", "unknown metric 'x'"},
      {"a.b.c.p99 < 1ms", "too many parts"},
      {"service.error_rate < 1%", "'error_rate' is not a latency"},
      {"read.p99 < 10", "latency '10' needs a unit"},
      {"p99 < 0", "latency '0' needs a unit"},
      {"p99 < 10xs", "'10xs' has no known unit"},
      {"p99 < -1ms", "'-1ms' is not a duration"},
      {"error_rate < 5", "'5' is outside 0% to 100%"},
      {"error_rate < 1ms", "'1ms' is not a fraction"},
      {"rate >= fast", "'fast' is not a rate"},
      {"rate >= -5%", "'-5%' is not a rate"},
      {"read.rate >= 95%", "percentage of the target is for all operations together"},
      {"count >= 1.5", "'1.5' is not a count"},
      {"errors == -1", "'-1' is not a count"},
      {"p99 < 10ms stop", "unexpected 'stop' after '10ms'"},
      {"p99 < 10ms abort now", "unexpected 'now' after 'abort'"},
      {"p99 < 10ms abort after", "expected a duration after 'after'"},
      {"p99 < 10ms abort after 30", "'30' has no known unit"},
      {"p99 < 10ms abort after 30s please", "unexpected 'please' after 'after 30s'"},
      {"P99 < 10ms", "unknown metric 'P99'"},
  };
  BOOST_TEST(cases.size() >= 15u);
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.text) {
      const std::string message = refusal(c.text);
      std::string_view trimmed = c.text;
      while (!trimmed.empty() && trimmed.front() == ' ') trimmed.remove_prefix(1);
      while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
      BOOST_TEST(message.find("threshold '" + std::string(trimmed) + "': ") == 0u, message);
      BOOST_TEST(message.find(c.problem) != std::string::npos, message);
      BOOST_TEST(message.find('\n') == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(evaluation)

BOOST_AUTO_TEST_CASE(latency_percentiles_are_measured_from_the_intended_start_by_default) {
  const Figures figures = queued_reads();

  const ThresholdResult p99 = eval("read.p99 < 2ms", figures);
  BOOST_TEST(p99.ok);
  BOOST_TEST(!p99.no_data);
  BOOST_TEST(p99.raw_value == 1'000.0);  // below 2048 us the histogram is exact
  BOOST_TEST(p99.value == "1ms");
  BOOST_TEST(p99.expr == "read.p99 < 2ms");

  // 100 ms is kept to within 0.1% (a bucket 64 us wide there).
  const ThresholdResult p999 = eval("read.p99.9 < 50ms", figures);
  BOOST_TEST(!p999.ok);
  BOOST_TEST(std::abs(p999.raw_value - 100'000.0) <= 100.0);
  BOOST_TEST(p999.value == "100ms");
  BOOST_TEST(eval("p99.9 <= 101ms", figures).ok);
  BOOST_TEST(!eval("p99.9 < 99ms", figures).ok);
  BOOST_TEST(eval("p99.99 > 99ms", figures).ok);

  const ThresholdResult max = eval("max < 1s", figures);
  BOOST_TEST(max.ok);
  BOOST_TEST(std::abs(max.raw_value - 100'000.0) <= 100.0);
  const ThresholdResult mean = eval("mean < 2ms", figures);
  BOOST_TEST(mean.ok);
  BOOST_TEST(std::abs(mean.raw_value - 1'990.0) <= 2.0);  // (990 * 1ms + 10 * 100ms) / 1000
  BOOST_TEST(eval("p50 == 1ms", figures).ok);
  BOOST_TEST(eval("p75 <= 1ms", figures).ok);
  BOOST_TEST(eval("p90 <= 1ms", figures).ok);
  BOOST_TEST(eval("p95 <= 1ms", figures).ok);
  BOOST_TEST(!eval("p99 > 1ms", figures).ok);
  BOOST_TEST(eval("p99 >= 1ms", figures).ok);

  // From the send every read took 500us: the queueing is invisible there.
  const ThresholdResult service = eval("read.service.p99.9 < 1ms", figures);
  BOOST_TEST(service.ok);
  BOOST_TEST(service.raw_value == 500.0);
  BOOST_TEST(service.value == "500us");
  BOOST_TEST(eval("service.max == 500us", figures).ok);
}

BOOST_AUTO_TEST_CASE(all_operations_together_merge_their_histograms) {
  Recorder recorder(1, 1);
  record(recorder, OpType::kRead, 100, 1'000, 1'000);
  record(recorder, OpType::kUpdate, 100, 10'000, 10'000);
  const Figures figures = taken(recorder);

  BOOST_TEST(eval("read.p99 <= 1ms", figures).ok);
  BOOST_TEST(!eval("update.p99 <= 1ms", figures).ok);
  const ThresholdResult all = eval("p99 < 5ms", figures);
  BOOST_TEST(!all.ok);
  BOOST_TEST(std::abs(all.raw_value - 10'000.0) <= 10.0);
  BOOST_TEST(eval("all.p50 <= 1ms", figures).ok);
  BOOST_TEST(eval("count == 200", figures).ok);
  BOOST_TEST(eval("update.count == 100", figures).ok);
}

BOOST_AUTO_TEST_CASE(error_rate_counts_errors_over_all_attempts) {
  const Figures figures = reads_with_errors(995, 5);
  const ThresholdResult half = eval("error_rate < 1%", figures);
  BOOST_TEST(half.ok);
  BOOST_TEST(half.value == "0.5%");
  BOOST_TEST(std::abs(half.raw_value - 0.005) < 1e-12);
  BOOST_TEST(eval("read.error_rate < 0.01", figures).ok);
  BOOST_TEST(!eval("error_rate < 0.1%", figures).ok);
  BOOST_TEST(eval("errors == 5", figures).ok);
  BOOST_TEST(eval("read.errors <= 5", figures).ok);
  BOOST_TEST(!eval("errors == 0", figures).ok);
  BOOST_TEST(eval("count == 995", figures).ok);

  const Figures one_percent = reads_with_errors(990, 10);
  BOOST_TEST(!eval("error_rate < 1%", one_percent).ok);
  BOOST_TEST(eval("error_rate <= 1%", one_percent).ok);
  BOOST_TEST(eval("error_rate < 1%", one_percent).value == "1%");
  // Failures do not enter the latency of successes.
  BOOST_TEST(eval("max == 1ms", one_percent).ok);
}

BOOST_AUTO_TEST_CASE(rate_is_checked_against_the_target_or_in_ops_per_second) {
  const Figures figures = reads_with_errors(950, 50);  // 1000 operations in 10s: 100 ops/s

  const ThresholdResult near = eval("rate >= 95%", figures, 10s, 105.0);
  BOOST_TEST(near.ok);
  BOOST_TEST(std::abs(near.raw_value - 100.0 / 105.0) < 1e-12);
  BOOST_TEST(near.value == "95.24%");
  const ThresholdResult far = eval("rate >= 95%", figures, 10s, 110.0);
  BOOST_TEST(!far.ok);
  BOOST_TEST(far.value == "90.91%");

  const ThresholdResult absolute = eval("rate >= 100", figures);
  BOOST_TEST(absolute.ok);
  BOOST_TEST(absolute.raw_value == 100.0);
  BOOST_TEST(absolute.value == "100.0 ops/s");
  BOOST_TEST(!eval("rate > 100", figures).ok);
  BOOST_TEST(eval("read.rate >= 50", figures, 20s).ok);  // 50 ops/s over 20s
  BOOST_TEST(!eval("read.rate > 50", figures, 20s).ok);

  // A percentage without a target (closed loop) cannot be judged: not ok.
  const ThresholdResult closed = eval("rate >= 95%", figures, 10s, std::nullopt);
  BOOST_TEST(!closed.ok);
  BOOST_TEST(closed.no_data);
  BOOST_TEST(closed.value == "no target");
  BOOST_TEST(!eval("rate >= 1", figures, 0s).ok);
}

BOOST_AUTO_TEST_CASE(without_operations_latency_and_error_rate_pass_and_counts_are_zero) {
  const Figures empty;
  for (const char* text : {"p99 < 1ms", "read.service.max < 1ms", "mean > 1s", "error_rate < 1%",
                           "update.error_rate == 0"}) {
    BOOST_TEST_CONTEXT(text) {
      const ThresholdResult r = eval(text, empty);
      BOOST_TEST(r.ok);
      BOOST_TEST(r.no_data);
      BOOST_TEST(r.value == "no data");
    }
  }
  const ThresholdResult count = eval("count >= 1", empty);
  BOOST_TEST(!count.ok);
  BOOST_TEST(!count.no_data);
  BOOST_TEST(count.value == "0");
  BOOST_TEST(eval("errors == 0", empty).ok);
  const ThresholdResult rate = eval("rate >= 95%", empty, 10s, 1000.0);
  BOOST_TEST(!rate.ok);
  BOOST_TEST(rate.value == "0%");

  // An operation the mix does not run, beside one that does.
  const Figures reads = queued_reads();
  BOOST_TEST(eval("update.p99 < 1us", reads).no_data);
  BOOST_TEST(eval("update.p99 < 1us", reads).ok);
  // Only failures: an error rate, but no latency of successes.
  const Figures failures = reads_with_errors(0, 3);
  BOOST_TEST(eval("p99 < 1us", failures).no_data);
  BOOST_TEST(!eval("error_rate < 1%", failures).ok);
  BOOST_TEST(eval("error_rate < 1%", failures).value == "100%");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()  // threshold_test
