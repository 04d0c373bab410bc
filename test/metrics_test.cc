// The Prometheus text exposition (prometheus_text), checked by a small
// parser of the 0.0.4 format below. The server that serves it is
// metrics_server_test's.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "report/prometheus_text.h"

// A suite of the one test executable; meson runs it as "metrics".
BOOST_AUTO_TEST_SUITE(metrics_test)

using namespace tikvbench;
using namespace tikvbench::report;
using namespace tikvbench::measure;
using measure::OpType;

namespace {

// ---- A parser of the text format, strict enough to catch our mistakes ----

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;  // unescaped
  double value = 0;
};

struct Exposition {
  std::vector<Sample> samples;
  std::map<std::string, std::string> types;  // family -> type
  std::set<std::string> helps;
};

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::optional<double> parse_value(std::string_view text) {
  if (text == "+Inf") return INFINITY;
  if (text == "-Inf") return -INFINITY;
  if (text == "NaN") return NAN;
  if (text.empty()) return std::nullopt;
  const std::string copy(text);
  char* end = nullptr;
  const double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  return v;
}

// The family a sample belongs to: histograms' _bucket/_sum/_count series
// belong to the base name when that is declared a histogram.
std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
  for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (name.ends_with(suffix)) {
      const std::string base = name.substr(0, name.size() - suffix.size());
      if (auto it = types.find(base); it != types.end() && it->second == "histogram") return base;
    }
  }
  return name;
}

// Parses `text`, failing the test (BOOST_TEST_REQUIRE) on the first bad line:
// every line is "# HELP name text", "# TYPE name type" or a sample
// `name{label="value",...} value`; HELP and TYPE come once per family, before
// its samples, and a family's samples are contiguous.
Exposition parse_exposition(const std::string& text) {
  Exposition out;
  BOOST_TEST_REQUIRE((text.empty() || text.back() == '\n'));
  std::string current_family;
  std::set<std::string> finished;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t eol = text.find('\n', pos);
    const std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    BOOST_TEST_CONTEXT("line: " << line) {
      BOOST_TEST_REQUIRE(!line.empty());
      if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
        const std::string rest = line.substr(7);
        const size_t sp = rest.find(' ');
        BOOST_TEST_REQUIRE(sp != std::string::npos);
        const std::string name = rest.substr(0, sp);
        BOOST_TEST_REQUIRE(valid_name(name));
        if (line[2] == 'H') {
          BOOST_TEST_REQUIRE(out.helps.insert(name).second);
        } else {
          const std::string type = rest.substr(sp + 1);
          BOOST_TEST_REQUIRE((type == "counter" || type == "gauge" || type == "histogram" || type == "summary" ||
                              type == "untyped"));
          BOOST_TEST_REQUIRE(out.types.emplace(name, type).second);
          if (type == "counter") BOOST_TEST(name.ends_with("_total"));
        }
        continue;
      }
      BOOST_TEST_REQUIRE(line[0] != '#');
      Sample sample;
      size_t i = 0;
      while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
      sample.name = line.substr(0, i);
      BOOST_TEST_REQUIRE(valid_name(sample.name));
      if (i < line.size() && line[i] == '{') {
        ++i;
        while (true) {
          BOOST_TEST_REQUIRE(i < line.size());
          if (line[i] == '}') {
            ++i;
            break;
          }
          const size_t eq = line.find('=', i);
          BOOST_TEST_REQUIRE(eq != std::string::npos);
          const std::string label = line.substr(i, eq - i);
          BOOST_TEST_REQUIRE(valid_name(label));
          BOOST_TEST_REQUIRE(eq + 1 < line.size());
          BOOST_TEST_REQUIRE(line[eq + 1] == '"');
          std::string value;
          size_t j = eq + 2;
          for (;; ++j) {
            BOOST_TEST_REQUIRE(j < line.size());
            if (line[j] == '"') break;
            if (line[j] == '\\') {
              BOOST_TEST_REQUIRE(j + 1 < line.size());
              const char e = line[++j];
              BOOST_TEST_REQUIRE((e == '\\' || e == '"' || e == 'n'));
              value += e == 'n' ? '\n' : e;
            } else {
              value += line[j];
            }
          }
          BOOST_TEST_REQUIRE(sample.labels.emplace(label, value).second);
          i = j + 1;
          BOOST_TEST_REQUIRE(i < line.size());
          if (line[i] == ',') ++i;
        }
      }
      BOOST_TEST_REQUIRE(i < line.size());
      BOOST_TEST_REQUIRE(line[i] == ' ');
      const auto value = parse_value(std::string_view(line).substr(i + 1));
      BOOST_TEST_REQUIRE(value.has_value());
      sample.value = *value;

      const std::string family = family_of(sample.name, out.types);
      BOOST_TEST_REQUIRE(out.types.count(family) == 1);
      BOOST_TEST_REQUIRE(out.helps.count(family) == 1);
      if (family != current_family) {
        BOOST_TEST_REQUIRE(finished.insert(family).second);  // contiguous
        current_family = family;
      }
      out.samples.push_back(std::move(sample));
    }
  }
  return out;
}

// The one sample named `name` with exactly `labels`; fails when absent.
double value_of(const Exposition& e, const std::string& name, const std::map<std::string, std::string>& labels = {}) {
  for (const auto& s : e.samples) {
    if (s.name == name && s.labels == labels) return s.value;
  }
  BOOST_FAIL("no sample " << name << " with those labels");
  return 0;
}

bool has_sample(const Exposition& e, const std::string& name) {
  for (const auto& s : e.samples) {
    if (s.name == name) return true;
  }
  return false;
}

// Checks every histogram in `e`: per label set, buckets in ascending `le`
// ending at +Inf, cumulative counts never decreasing, +Inf == _count, and a
// _sum. Returns how many series were checked.
int check_histograms(const Exposition& e) {
  int series = 0;
  for (const auto& [family, type] : e.types) {
    if (type != "histogram") continue;
    std::map<std::map<std::string, std::string>, std::vector<std::pair<double, double>>> buckets;
    for (const auto& s : e.samples) {
      if (s.name != family + "_bucket") continue;
      auto labels = s.labels;
      BOOST_TEST_REQUIRE(labels.count("le") == 1);
      const auto le = parse_value(labels["le"]);
      BOOST_TEST_REQUIRE(le.has_value());
      labels.erase("le");
      buckets[labels].emplace_back(*le, s.value);
    }
    for (const auto& [labels, series_buckets] : buckets) {
      ++series;
      BOOST_TEST_CONTEXT(family << " series " << series) {
        BOOST_TEST_REQUIRE(!series_buckets.empty());
        for (size_t i = 1; i < series_buckets.size(); ++i) {
          BOOST_TEST(series_buckets[i].first > series_buckets[i - 1].first);
          BOOST_TEST(series_buckets[i].second >= series_buckets[i - 1].second);
        }
        BOOST_TEST(std::isinf(series_buckets.back().first));
        BOOST_TEST(series_buckets.back().second == value_of(e, family + "_count", labels));
        BOOST_TEST(value_of(e, family + "_sum", labels) >= 0);
      }
    }
  }
  return series;
}

std::map<std::string, std::string> op_le(std::string op, std::string le) {
  return {{"op", std::move(op)}, {"le", std::move(le)}};
}

// 1000 reads of 1 ms (3 ms from the intended start), 5 timeouts at 20 ms,
// and 10 updates of 120 s (beyond the last bound).
Figures sample_figures() {
  Figures f;
  auto& read = f.ops[static_cast<size_t>(OpType::kRead)];
  read.ok_service = make_latency_histogram();
  read.ok_intended = make_latency_histogram();
  read.failed_service = make_latency_histogram();
  read.ok_service->record(1'000, 1000);
  read.ok_intended->record(3'000, 1000);
  read.failed_service->record(20'000, 5);
  read.count = 1000;
  read.errors = 5;
  auto& update = f.ops[static_cast<size_t>(OpType::kUpdate)];
  update.ok_service = make_latency_histogram();
  update.ok_intended = make_latency_histogram();
  update.ok_service->record(120'000'000, 10);
  update.ok_intended->record(120'000'000, 10);
  update.count = 10;
  f.errors_by_kind["timeout"] = 5;
  f.late = 7;
  return f;
}

MetricsSnapshot sample_snapshot(const Figures& figures) {
  MetricsSnapshot s;
  s.totals = &figures;
  s.retries_by_kind = {{"not_leader", 3}, {"epoch_not_match", 1}};
  s.inflight = 64;
  s.target_kind = TargetKind::kOpsPerSecond;
  s.target_level = 5000;
  s.phase = "main";
  return s;
}

}  // namespace

// ---------------------------------------------------------------- the text

BOOST_AUTO_TEST_CASE(every_line_is_a_comment_or_a_valid_sample_of_a_declared_family) {
  const Figures figures = sample_figures();
  const auto e = parse_exposition(prometheus_text(sample_snapshot(figures)));
  BOOST_TEST(e.samples.size() > 50u);
  BOOST_TEST(e.types.at("tikv_bench_operations_total") == "counter");
  BOOST_TEST(e.types.at("tikv_bench_errors_total") == "counter");
  BOOST_TEST(e.types.at("tikv_bench_retries_total") == "counter");
  BOOST_TEST(e.types.at("tikv_bench_late_starts_total") == "counter");
  BOOST_TEST(e.types.at("tikv_bench_inflight_operations") == "gauge");
  BOOST_TEST(e.types.at("tikv_bench_target") == "gauge");
  BOOST_TEST(e.types.at("tikv_bench_phase_info") == "gauge");
  BOOST_TEST(e.types.at("tikv_bench_operation_duration_seconds") == "histogram");
  BOOST_TEST(e.types.at("tikv_bench_operation_intended_duration_seconds") == "histogram");
  BOOST_TEST(e.types.at("tikv_bench_failed_operation_duration_seconds") == "histogram");
  BOOST_TEST(e.helps.size() == e.types.size());
}

BOOST_AUTO_TEST_CASE(counters_and_gauges_carry_the_snapshot) {
  const Figures figures = sample_figures();
  const auto e = parse_exposition(prometheus_text(sample_snapshot(figures)));
  BOOST_TEST(value_of(e, "tikv_bench_operations_total", {{"op", "read"}, {"result", "ok"}}) == 1000);
  BOOST_TEST(value_of(e, "tikv_bench_operations_total", {{"op", "read"}, {"result", "error"}}) == 5);
  BOOST_TEST(value_of(e, "tikv_bench_operations_total", {{"op", "update"}, {"result", "ok"}}) == 10);
  BOOST_TEST(value_of(e, "tikv_bench_operations_total", {{"op", "update"}, {"result", "error"}}) == 0);
  BOOST_TEST(value_of(e, "tikv_bench_errors_total", {{"kind", "timeout"}}) == 5);
  BOOST_TEST(value_of(e, "tikv_bench_retries_total", {{"reason", "not_leader"}}) == 3);
  BOOST_TEST(value_of(e, "tikv_bench_retries_total", {{"reason", "epoch_not_match"}}) == 1);
  BOOST_TEST(value_of(e, "tikv_bench_late_starts_total") == 7);
  BOOST_TEST(value_of(e, "tikv_bench_inflight_operations") == 64);
  BOOST_TEST(value_of(e, "tikv_bench_target", {{"kind", "ops_per_second"}}) == 5000);
  BOOST_TEST(value_of(e, "tikv_bench_phase_info", {{"phase", "main"}}) == 1);
}

BOOST_AUTO_TEST_CASE(only_operation_types_with_operations_appear) {
  const Figures figures = sample_figures();
  const std::string text = prometheus_text(sample_snapshot(figures));
  BOOST_TEST(text.find("op=\"read\"") != std::string::npos);
  BOOST_TEST(text.find("op=\"update\"") != std::string::npos);
  for (std::string_view absent : {"insert", "scan", "read_modify_write", "delete", "batch_get", "batch_put"}) {
    BOOST_TEST(text.find(fmt::format("op=\"{}\"", absent)) == std::string::npos, absent);
  }
  // Updates never failed: no failed-latency series for them.
  BOOST_TEST(text.find("tikv_bench_failed_operation_duration_seconds_count{op=\"update\"}") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(histogram_buckets_are_cumulative_and_end_at_count) {
  const Figures figures = sample_figures();
  const auto e = parse_exposition(prometheus_text(sample_snapshot(figures)));
  // read and update for ok and intended; read for failed.
  BOOST_TEST(check_histograms(e) == 5);
}

BOOST_AUTO_TEST_CASE(histogram_buckets_count_values_at_or_below_each_bound_in_seconds) {
  const Figures figures = sample_figures();
  const auto e = parse_exposition(prometheus_text(sample_snapshot(figures)));
  const std::string service = "tikv_bench_operation_duration_seconds";
  const std::string intended = "tikv_bench_operation_intended_duration_seconds";
  const std::string failed = "tikv_bench_failed_operation_duration_seconds";

  // 1000 reads of exactly 1 ms: in le="0.001" (inclusive) and every bound above.
  BOOST_TEST(value_of(e, service + "_bucket", op_le("read", "0.0001")) == 0);
  BOOST_TEST(value_of(e, service + "_bucket", op_le("read", "0.0005")) == 0);
  BOOST_TEST(value_of(e, service + "_bucket", op_le("read", "0.001")) == 1000);
  BOOST_TEST(value_of(e, service + "_bucket", op_le("read", "0.0025")) == 1000);
  BOOST_TEST(value_of(e, service + "_bucket", op_le("read", "60")) == 1000);
  BOOST_TEST(value_of(e, service + "_bucket", op_le("read", "+Inf")) == 1000);
  BOOST_TEST(value_of(e, service + "_count", {{"op", "read"}}) == 1000);
  BOOST_TEST(value_of(e, service + "_sum", {{"op", "read"}}) == 1.0, boost::test_tools::tolerance(1e-9));

  // ... and 3 ms from their intended start.
  BOOST_TEST(value_of(e, intended + "_bucket", op_le("read", "0.0025")) == 0);
  BOOST_TEST(value_of(e, intended + "_bucket", op_le("read", "0.005")) == 1000);
  // _sum takes each value as the middle of its HDR bucket: 3000 us sits in
  // the 2-us-wide bucket [3000, 3001], so the sum is 1000 * 3001 us.
  BOOST_TEST(value_of(e, intended + "_sum", {{"op", "read"}}) == 3.001, boost::test_tools::tolerance(1e-9));

  // 5 failures of 20 ms.
  BOOST_TEST(value_of(e, failed + "_bucket", op_le("read", "0.01")) == 0);
  BOOST_TEST(value_of(e, failed + "_bucket", op_le("read", "0.025")) == 5);
  BOOST_TEST(value_of(e, failed + "_count", {{"op", "read"}}) == 5);

  // 10 updates of 120 s: beyond the last bound, only in +Inf.
  BOOST_TEST(value_of(e, service + "_bucket", op_le("update", "60")) == 0);
  BOOST_TEST(value_of(e, service + "_bucket", op_le("update", "+Inf")) == 10);
  BOOST_TEST(value_of(e, service + "_sum", {{"op", "update"}}) == 1200.0, boost::test_tools::tolerance(1e-3));

  // The bounds: 100 us .. 60 s, each listed once, ascending.
  std::vector<std::string> les;
  for (const auto& s : e.samples) {
    if (s.name == service + "_bucket" && s.labels.at("op") == "read") les.push_back(s.labels.at("le"));
  }
  BOOST_TEST(les.size() == kBucketBoundsMicros.size() + 1);
  BOOST_TEST(les.front() == "0.0001");
  BOOST_TEST(les[les.size() - 2] == "60");
  for (size_t i = 0; i < kBucketBoundsMicros.size(); ++i) {
    BOOST_TEST(kBucketBoundsMicros[i].micros / 1e6 == std::strtod(std::string(kBucketBoundsMicros[i].le).c_str(), nullptr));
  }
}

BOOST_AUTO_TEST_CASE(a_value_just_above_a_bound_counts_there_only_within_the_histograms_precision) {
  // Above 2048 us the HDR buckets are 2 us wide, so 2501 us is 2500 us to 3
  // significant digits and counts as <= 2.5 ms; 2502 us does not.
  Figures f;
  auto& read = f.ops[static_cast<size_t>(OpType::kRead)];
  read.ok_service = make_latency_histogram();
  read.ok_service->record(2'501);
  read.ok_service->record(2'502);
  read.count = 2;
  MetricsSnapshot s;
  s.totals = &f;
  const auto e = parse_exposition(prometheus_text(s));
  BOOST_TEST(value_of(e, "tikv_bench_operation_duration_seconds_bucket", op_le("read", "0.0025")) == 1);
  BOOST_TEST(value_of(e, "tikv_bench_operation_duration_seconds_bucket", op_le("read", "0.005")) == 2);
}

BOOST_AUTO_TEST_CASE(label_values_escape_quotes_backslashes_and_newlines) {
  Figures f;
  f.errors_by_kind["say \"no\""] = 1;
  f.errors_by_kind["C:\\path"] = 2;
  f.errors_by_kind["two\nlines"] = 3;
  MetricsSnapshot s;
  s.totals = &f;
  s.phase = "ph\"ase\\";
  const std::string text = prometheus_text(s);
  BOOST_TEST(text.find(R"(tikv_bench_errors_total{kind="say \"no\""} 1)") != std::string::npos, text);
  BOOST_TEST(text.find(R"(tikv_bench_errors_total{kind="C:\\path"} 2)") != std::string::npos, text);
  BOOST_TEST(text.find(R"(tikv_bench_errors_total{kind="two\nlines"} 3)") != std::string::npos, text);
  BOOST_TEST(text.find(R"(tikv_bench_phase_info{phase="ph\"ase\\"} 1)") != std::string::npos, text);
  // And they parse back to what they were.
  const auto e = parse_exposition(text);
  BOOST_TEST(value_of(e, "tikv_bench_errors_total", {{"kind", "say \"no\""}}) == 1);
  BOOST_TEST(value_of(e, "tikv_bench_errors_total", {{"kind", "C:\\path"}}) == 2);
  BOOST_TEST(value_of(e, "tikv_bench_errors_total", {{"kind", "two\nlines"}}) == 3);
  BOOST_TEST(escape_label_value("plain") == "plain");
}

BOOST_AUTO_TEST_CASE(an_empty_snapshot_still_renders_valid_text) {
  MetricsSnapshot s;  // no figures yet, no target, no phase
  const auto e = parse_exposition(prometheus_text(s));
  BOOST_TEST(value_of(e, "tikv_bench_late_starts_total") == 0);
  BOOST_TEST(value_of(e, "tikv_bench_inflight_operations") == 0);
  BOOST_TEST(!has_sample(e, "tikv_bench_operations_total"));
  BOOST_TEST(!has_sample(e, "tikv_bench_target"));
  BOOST_TEST(!has_sample(e, "tikv_bench_phase_info"));
  BOOST_TEST(check_histograms(e) == 0);
}

BOOST_AUTO_TEST_CASE(a_closed_loop_target_is_labelled_inflight) {
  MetricsSnapshot s;
  s.target_kind = TargetKind::kInflight;
  s.target_level = 32;
  const auto e = parse_exposition(prometheus_text(s));
  BOOST_TEST(value_of(e, "tikv_bench_target", {{"kind", "inflight"}}) == 32);
}

BOOST_AUTO_TEST_SUITE_END()  // metrics_test
