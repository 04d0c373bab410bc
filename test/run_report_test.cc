// The run's reports: the interval log (CSV rows, HdrHistogram log lines that
// read back), the JSON document's names, and histogram quantiles against the
// exact quantiles of random samples.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>

#include "report/hdr_log.h"
#include "report/run_json.h"
#include "report/run_log.h"
#include "support/run_binary.h"

// A suite of the one test executable; meson runs it as "run_report".
BOOST_AUTO_TEST_SUITE(run_report_test)

using namespace tikvbench;
using namespace tikvbench::report;
using namespace tikvbench::measure;
using namespace std::chrono_literals;

namespace {

// An interval's figures: `n` reads of `micros` each, and one failed update.
Figures interval_of(int n, int64_t micros) {
  Figures figures;
  auto& read = figures.ops[static_cast<size_t>(workload::OpType::kRead)];
  read.ok_service = make_latency_histogram();
  read.ok_intended = make_latency_histogram();
  for (int i = 0; i < n; ++i) {
    read.ok_service->record(micros);
    read.ok_intended->record(micros * 2);
  }
  read.count = static_cast<uint64_t>(n);
  auto& update = figures.ops[static_cast<size_t>(workload::OpType::kUpdate)];
  update.failed_service = make_latency_histogram();
  update.failed_service->record(5000);
  update.errors = 1;
  figures.errors_by_kind["timeout"] = 1;
  return figures;
}

long lines_in(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

// A directory of its own for a test's files, empty.
std::string fresh_dir(const std::string& name) {
  const auto dir = (std::filesystem::temp_directory_path() / name).string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// An HdrHistogram log as `run --hdr-log` writes it: based at `base` seconds
// since the epoch, each interval (start, length) in seconds after it holds
// `reads` reads of 100us (tags read and read.service).
std::string hdr_log_text(double base, const std::vector<std::pair<double, double>>& intervals, int reads) {
  std::ostringstream out;
  HdrLogWriter writer(out);
  const auto start = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(base)));
  BOOST_REQUIRE(writer.write_header(start, "tikv-bench test").ok());
  for (const auto& [at, length] : intervals) {
    auto histogram = make_latency_histogram();
    for (int i = 0; i < reads; ++i) histogram->record(100);
    BOOST_REQUIRE(writer.write_interval("read", std::chrono::duration<double>(at), std::chrono::duration<double>(length),
                                        *histogram).ok());
    BOOST_REQUIRE(writer.write_interval("read.service", std::chrono::duration<double>(at),
                                        std::chrono::duration<double>(length), *histogram).ok());
  }
  return out.str();
}

constexpr double kBase = 1'700'000'000;

}  // namespace

BOOST_AUTO_TEST_CASE(the_interval_log_keeps_rows_and_hdr_lines_that_read_back) {
  std::ostringstream text;
  std::ostringstream csv_text;
  RunLog log(std::chrono::system_clock::now(), RunLogOutputs{&text, &csv_text});
  const auto header = text.str();
  BOOST_TEST(header.find("#[StartTime: ") != std::string::npos);  // written at once
  BOOST_TEST(csv_text.str().starts_with("t_s,interval_s,phase,"));
  log.add(1s, 1s, "main", false, 7, interval_of(100, 1000));
  BOOST_TEST(text.str().size() > header.size());  // each interval as it ends
  BOOST_TEST(lines_in(csv_text.str()) == 3);  // header + read, update
  log.add(2s, 1s, "main, second", false, 3, interval_of(50, 2000));
  BOOST_REQUIRE(log.intervals().size() == 2u);
  const auto& first = log.intervals()[0].ops[static_cast<size_t>(workload::OpType::kRead)];
  BOOST_TEST(first.count == 100u);
  BOOST_TEST(first.p99_us == 2000);  // from the intended start
  BOOST_TEST(first.service_p99_us == 1000);

  const auto csv = csv_text.str();
  BOOST_TEST(csv.starts_with("t_s,interval_s,phase,"));
  BOOST_TEST(lines_in(csv) == 5);  // header + 2 intervals x (read, update)
  BOOST_TEST(csv.find("\"main, second\"") != std::string::npos);  // quoted
  BOOST_TEST(csv.find("1.000,1.000,main,0,read,100,0,100.0,") != std::string::npos);

  const auto entries = read_hdr_log(text.str());
  BOOST_REQUIRE(entries.ok());
  // Two intervals, each with read and read.service (the update had no successes).
  BOOST_REQUIRE(entries->size() == 4u);
  BOOST_TEST((*entries)[0].tag == "read");
  BOOST_TEST((*entries)[0].histogram.total_count() == 100);
  BOOST_TEST((*entries)[1].tag == "read.service");
  BOOST_TEST((*entries)[2].start_seconds == 1.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST((*entries)[3].histogram.value_at_percentile(50) == 2000);
}

BOOST_AUTO_TEST_CASE(the_interval_log_keeps_no_records_unless_asked) {
  std::ostringstream csv_text;
  RunLog log(std::chrono::system_clock::now(), RunLogOutputs{nullptr, &csv_text, /*keep_intervals=*/false});
  log.add(1s, 1s, "main", false, 7, interval_of(100, 1000));
  log.add(2s, 1s, "main", false, 7, interval_of(100, 1000));
  BOOST_TEST(log.intervals().empty());
  BOOST_TEST(lines_in(csv_text.str()) == 5);  // the rows still go out
}

BOOST_AUTO_TEST_CASE(a_long_run_keeps_a_bounded_number_of_records_that_add_up) {
  RunLogOutputs outputs;
  outputs.max_intervals = 4;
  RunLog log(std::chrono::system_clock::now(), outputs);
  RunLog every(std::chrono::system_clock::now());  // the same intervals, none merged
  const auto read = static_cast<size_t>(workload::OpType::kRead);
  uint64_t reads = 0;
  for (int i = 1; i <= 9; ++i) {
    // Interval 5 is the slowest; the in-flight count peaks at interval 3.
    const auto figures = interval_of(10 * i, i == 5 ? 9000 : 100);
    log.add(std::chrono::seconds(i), 1s, "main", false, i == 3 ? 50 : 5, figures);
    every.add(std::chrono::seconds(i), 1s, "main", false, i == 3 ? 50 : 5, figures);
    reads += static_cast<uint64_t>(10 * i);
    BOOST_TEST(log.intervals().size() <= 4u);
  }
  BOOST_REQUIRE(every.intervals().size() == 9u);
  const auto& slowest = every.intervals()[4].ops[read];
  const auto& records = log.intervals();
  // 9 intervals in steps of 4: 4 + 4 + 1.
  BOOST_REQUIRE(records.size() == 3u);
  BOOST_TEST(records[0].merged == 4u);
  BOOST_TEST(records[1].merged == 4u);
  BOOST_TEST(records[2].merged == 1u);
  BOOST_TEST(records[0].t == 4.0);
  BOOST_TEST(records[1].t == 8.0);
  BOOST_TEST(records[2].t == 9.0);
  uint64_t counted = 0, update_errors = 0, timeouts = 0;
  double length = 0;
  for (const auto& record : records) {
    counted += record.ops[read].count;
    update_errors += record.ops[static_cast<size_t>(workload::OpType::kUpdate)].errors;
    timeouts += record.errors_by_kind.at("timeout");
    length += record.length;
  }
  BOOST_TEST(counted == reads);
  BOOST_TEST(update_errors == 9u);
  BOOST_TEST(timeouts == 9u);
  BOOST_TEST(length == 9.0);
  BOOST_TEST(records[0].inflight == 50u);               // the highest of its intervals
  BOOST_TEST(slowest.p99_us > every.intervals()[5].ops[read].p99_us);
  BOOST_TEST(records[1].ops[read].p99_us == slowest.p99_us);  // interval 5's, the highest of 5-8
  BOOST_TEST(records[1].ops[read].service_max_us == slowest.service_max_us);
  BOOST_TEST(records[0].ops[read].p99_us == every.intervals()[0].ops[read].p99_us);
}

BOOST_AUTO_TEST_CASE(merged_records_never_span_a_phase_boundary) {
  RunLogOutputs outputs;
  outputs.max_intervals = 4;
  RunLog log(std::chrono::system_clock::now(), outputs);
  for (int i = 1; i <= 12; ++i) {
    const bool warming = i <= 2;
    log.add(std::chrono::seconds(i), 1s, i <= 5 ? "ramp" : "steady", warming, 1, interval_of(1, 100));
  }
  uint32_t covered = 0;
  for (const auto& record : log.intervals()) {
    // Each record lies within one phase (and warm-up or not): its first
    // interval ends at t - merged + 1.
    const double first = record.t - record.merged + 1;
    const bool one_phase = record.phase == "ramp" ? record.t <= 5 : first > 5;
    const bool one_warmup = record.warmup ? record.t <= 2 : first > 2;
    BOOST_TEST(one_phase);
    BOOST_TEST(one_warmup);
    covered += record.merged;
  }
  BOOST_TEST(covered == 12u);
  BOOST_TEST(log.intervals().size() <= 5u);  // the bound, plus one for the boundary
}

BOOST_AUTO_TEST_CASE(a_merged_record_says_so_in_the_json) {
  RunLogOutputs outputs;
  outputs.max_intervals = 2;
  RunLog log(std::chrono::system_clock::now(), outputs);
  for (int i = 1; i <= 3; ++i) log.add(std::chrono::seconds(i), 1s, "main", false, 1, interval_of(10, 100));
  const auto totals = interval_of(30, 100);
  RunInfo info;
  info.started_at = std::chrono::system_clock::now();
  RunFigures figures;
  figures.totals = &totals;
  figures.intervals = &log.intervals();
  const auto doc = run_json(info, figures);
  BOOST_REQUIRE(doc["intervals"].size() == 2u);
  BOOST_TEST(doc["intervals"][0]["merged"].get<int>() == 2);
  BOOST_TEST(doc["intervals"][0]["length_s"].get<double>() == 2.0);
  BOOST_TEST(doc["intervals"][0]["ops"]["read"]["count"].get<int>() == 20);
  BOOST_TEST(!doc["intervals"][1].contains("merged"));  // a single interval
}

BOOST_AUTO_TEST_CASE(the_json_document_has_the_documented_names) {
  RunLog log(std::chrono::system_clock::now());
  log.add(1s, 1s, "main", false, 7, interval_of(10, 100));
  const auto totals = interval_of(10, 100);
  RunInfo info;
  info.workload_name = "w";
  info.started_at = std::chrono::system_clock::now();
  workload::Phase phase;
  phase.name = "main";
  phase.duration = 1s;
  info.phases = {phase};
  info.phase_starts_s = {0};
  RunFigures figures;
  figures.totals = &totals;
  figures.recorded = 2s;
  figures.retries_by_kind = {{"not_leader", 3}};
  figures.verify = VerifySummary{5, 1, 0, {"key k: lost"}};
  figures.thresholds = {{"read.p99<1ms", true, "200us"}};
  figures.intervals = &log.intervals();
  const auto doc = run_json(info, figures);
  for (const char* name : {"version", "workload", "started_at", "duration_s", "ended_by", "phases", "total", "ops",
                           "warmup", "errors_by_kind", "error_examples", "retries_by_kind", "verify", "thresholds",
                           "intervals"}) {
    BOOST_TEST(doc.contains(name), name);
  }
  BOOST_TEST(doc["duration_s"].get<double>() == 2.0);
  BOOST_TEST(doc["total"]["count"].get<uint64_t>() == 10u);
  BOOST_TEST(doc["total"]["errors"].get<uint64_t>() == 1u);
  // Completed operations over the time they took: 10 successes and 1 failure in 2 s.
  BOOST_TEST(doc["total"]["ops_per_sec"].get<double>() == 5.5);
  const auto& read = doc["ops"]["read"];
  for (const char* name : {"min", "mean", "p50", "p90", "p95", "p99", "p999", "p9999", "max"}) {
    BOOST_TEST(read["latency_us"].contains(name), name);
    BOOST_TEST(read["intended_latency_us"].contains(name), name);
  }
  BOOST_TEST(read["latency_us"]["p50"].get<int64_t>() == 100);
  BOOST_TEST(read["intended_latency_us"]["p50"].get<int64_t>() == 200);
  BOOST_TEST(doc["ops"]["update"]["errors"].get<uint64_t>() == 1u);
  BOOST_TEST(doc["errors_by_kind"]["timeout"].get<uint64_t>() == 1u);
  BOOST_TEST(doc["retries_by_kind"]["not_leader"].get<uint64_t>() == 3u);
  BOOST_TEST(doc["verify"]["lost"].get<uint64_t>() == 1u);
  BOOST_TEST(doc["verify"]["checked"].get<uint64_t>() == 5u);
  BOOST_TEST(doc["thresholds"][0]["expr"].get<std::string>() == "read.p99<1ms");
  BOOST_TEST(doc["thresholds"][0]["ok"].get<bool>());
  const auto& interval = doc["intervals"][0];
  BOOST_TEST(interval["t"].get<double>() == 1.0);
  for (const char* name : {"count", "errors", "not_found", "p50_us", "p99_us", "max_us"}) {
    BOOST_TEST(interval["ops"]["read"].contains(name), name);
  }
  for (const char* name : {"drain", "target_ops_per_sec", "retries_by_kind"}) BOOST_TEST(interval.contains(name), name);
  BOOST_TEST(doc["phases"][0]["name"].get<std::string>() == "main");
}

BOOST_AUTO_TEST_CASE(merge_takes_its_duration_from_the_logs_time_span) {
  const auto dir = fresh_dir("tikv_bench_merge_span");
  // One generator from 0 to 2s, another from 0.5s to 3s: together 3s, not
  // the 4.5s their intervals add up to, nor either one's own span.
  write_text(dir + "/a.hlog", hdr_log_text(kBase, {{0, 1}, {1, 1}}, 100));
  write_text(dir + "/b.hlog", hdr_log_text(kBase + 0.5, {{0, 1}, {1, 1.5}}, 100));
  const auto merged = test::run_binary(fmt::format("merge {d}/a.hlog {d}/b.hlog --json {d}/merged.json", fmt::arg("d", dir)));
  BOOST_TEST(merged.exit_code == 0, merged.output);
  BOOST_TEST(merged.output.find("READ   - Takes(s): 3.0, Count: 400, OPS: 133.3,") != std::string::npos, merged.output);
  const auto json = nlohmann::json::parse(std::ifstream(dir + "/merged.json"));
  BOOST_TEST(json["duration_s"].get<double>() == 3.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(json["total"]["count"].get<uint64_t>() == 400u);
}

BOOST_AUTO_TEST_CASE(merge_refuses_the_same_log_twice_naming_it) {
  const auto dir = fresh_dir("tikv_bench_merge_twice");
  const auto log = dir + "/a.hlog";
  write_text(log, hdr_log_text(kBase, {{0, 1}}, 10));
  std::filesystem::create_symlink(log, dir + "/link.hlog");
  std::filesystem::copy_file(log, dir + "/copy.hlog");
  write_text(dir + "/other.hlog", hdr_log_text(kBase + 1, {{0, 1}}, 10));
  struct Case {
    std::string logs;
    std::string message;  // the whole output
  };
  const std::vector<Case> cases = {
      {fmt::format("{} {}", log, log), fmt::format("merge: {} is given twice", log)},
      {fmt::format("{} {}/./a.hlog", log, dir), fmt::format("merge: {} and {}/./a.hlog are the same log", log, dir)},
      {fmt::format("{} {}/other.hlog {}/link.hlog", log, dir, dir),
       fmt::format("merge: {} and {}/link.hlog are the same log", log, dir)},
      {fmt::format("{} {}/copy.hlog", log, dir),
       fmt::format("merge: {}/copy.hlog holds the same bytes as {}: a copy of one log", dir, log)},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.logs) {
      const auto result = test::run_binary(fmt::format("merge {} --json {}/merged.json", c.logs, dir));
      BOOST_TEST(result.exit_code == 2, result.output);
      BOOST_TEST(lines_in(result.output) == 1, result.output);
      BOOST_TEST(result.output.starts_with("tikv-bench: " + c.message), result.output);
      BOOST_TEST(result.output.find("would count twice") != std::string::npos, result.output);
      BOOST_TEST(!std::filesystem::exists(dir + "/merged.json"));
    }
  }
  // Two different logs still merge.
  const auto both = test::run_binary(fmt::format("merge {} {}/other.hlog", log, dir));
  BOOST_TEST(both.exit_code == 0, both.output);
}

BOOST_AUTO_TEST_CASE(report_without_html_prints_the_saved_runs_summary) {
  const auto dir = fresh_dir("tikv_bench_report_summary");
  const auto totals = interval_of(10, 100);  // 10 reads (100us sent, 200us intended), 1 failed update
  RunInfo info;
  info.workload_name = "w";
  info.workload_source = "w.yaml";
  info.started_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  RunFigures figures;
  figures.totals = &totals;
  figures.recorded = 2s;
  figures.thresholds = {{"read.p99<1ms", true, "200us"}, {"errors==0", false, "1"}};
  const auto doc = run_json(info, figures);
  write_text(dir + "/run.json", doc.dump(2));
  // Rates as the document has them.
  const auto rate = [](const nlohmann::json& of) { return fmt::format("{:.1f}", of["ops_per_sec"].get<double>()); };

  const auto result = test::run_binary(fmt::format("report {}/run.json", dir));
  BOOST_TEST(result.exit_code == 0, result.output);
  const auto has = [&](const std::string& line) {
    BOOST_TEST(result.output.find(line) != std::string::npos, "wanted '" << line << "' in\n" << result.output);
  };
  has("run of w (w.yaml), started 2023-11-14T22:13:20.000Z, 2.0s\n");
  has(fmt::format("total: count 10, errors 1, not found 0, {} ops/s\n", rate(doc["total"])));
  // The end-of-run table's columns.
  has(fmt::format("{:<18} {:>10} {:>8} {:>9} {:>10} | {:>8} {:>8} {:>8} {:>8} | {:>8} {:>8} {:>8} {:>8}\n",
                  "operation", "count", "errors", "not found", "ops/s", "p50", "p99", "p99.9", "max", "i.p50", "i.p99",
                  "i.p99.9", "i.max"));
  has(fmt::format("{:<18} {:>10} {:>8} {:>9} {:>10} | {:>8} {:>8} {:>8} {:>8} | {:>8} {:>8} {:>8} {:>8}\n", "read", 10,
                  0, 0, rate(doc["ops"]["read"]), "100us", "100us", "100us", "100us", "200us", "200us", "200us", "200us"));
  has(fmt::format("{:<18} {:>10} {:>8} {:>9} {:>10} | {:>8} {:>8} {:>8} {:>8} | {:>8} {:>8} {:>8} {:>8}\n", "update", 0,
                  1, 0, rate(doc["ops"]["update"]), "-", "-", "-", "-", "-", "-", "-", "-"));
  has("error timeout 1\n");
  has("threshold read.p99<1ms: ok (200us)\n");
  has("threshold errors==0: FAILED (1)\n");

  // Whatever the document lacks shows as "-" or is left out.
  write_text(dir + "/empty.json", "{}");
  const auto empty = test::run_binary(fmt::format("report {}/empty.json", dir));
  BOOST_TEST(empty.exit_code == 0, empty.output);
  BOOST_TEST(empty.output.find("total: count -, errors -, not found -, - ops/s\n") != std::string::npos, empty.output);

  // --html still renders the page, and prints nothing.
  const auto html = test::run_binary(fmt::format("report {d}/run.json --html {d}/run.html", fmt::arg("d", dir)));
  BOOST_TEST(html.exit_code == 0, html.output);
  BOOST_TEST(html.output.empty(), html.output);
  BOOST_TEST(std::filesystem::file_size(dir + "/run.html") > 1000u);
}

BOOST_AUTO_TEST_CASE(histogram_quantiles_match_exact_quantiles_of_random_samples) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> latency(7.0, 1.2);  // around 1 ms, long tail
  Histogram histogram;
  std::vector<int64_t> samples;
  for (int i = 0; i < 200'000; ++i) {
    const auto value = std::max<int64_t>(1, static_cast<int64_t>(latency(rng)));
    samples.push_back(value);
    histogram.record(value);
  }
  std::sort(samples.begin(), samples.end());
  for (double p : {50.0, 90.0, 99.0, 99.9, 99.99}) {
    // The rank HdrHistogram reaches: round(p/100 * n), at least 1.
    const auto rank = static_cast<size_t>(std::max<long long>(1, std::llround(p / 100 * static_cast<double>(samples.size())))) - 1;
    const auto exact = static_cast<double>(samples[rank]);
    const auto approx = static_cast<double>(histogram.value_at_percentile(p));
    // 3 significant digits: within 0.1 % (plus the bucket's own width).
    BOOST_TEST(std::abs(approx - exact) <= exact * 0.001 + 1, "p" << p << ": " << approx << " vs " << exact);
  }
  BOOST_TEST(histogram.max() >= samples.back());
  BOOST_TEST(static_cast<double>(histogram.max()) <= static_cast<double>(samples.back()) * 1.001 + 1);
}

BOOST_AUTO_TEST_SUITE_END()  // run_report_test
