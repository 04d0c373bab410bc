// The HTML report: the page's content from a synthetic run, its escaping and
// robustness, downsampling, and that it loads in headless Chromium without a
// script error (skipped when no Chromium is installed).
//
// Set HTML_REPORT_SCREENSHOT=/path/file.png to keep the screenshot of the
// synthetic report (docs/report-screenshot.png is made this way).
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "measure/recorder.h"
#include "report/html_report.h"
#include "report/svg_chart.h"

// A suite of the one test executable; meson runs it as "html_report".
BOOST_AUTO_TEST_SUITE(html_report_test)

using namespace tikvbench::report;
using namespace tikvbench::measure;
using nlohmann::json;

namespace {

// The standard normal quantile of `p` (0..1), by bisection.
double normal_quantile(double p) {
  double lo = -10, hi = 10;
  for (int i = 0; i < 80; ++i) {
    const double mid = (lo + hi) / 2;
    (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

// A log-normal latency for percentile `p` (0..100).
double latency_at(double p, double median_us, double sigma) {
  return median_us * std::exp(sigma * normal_quantile(std::min(p, 99.99999) / 100));
}

json latency_block(double median_us, double sigma) {
  return {{"min", median_us / 5},
          {"mean", median_us * 1.3},
          {"p50", latency_at(50, median_us, sigma)},
          {"p90", latency_at(90, median_us, sigma)},
          {"p95", latency_at(95, median_us, sigma)},
          {"p99", latency_at(99, median_us, sigma)},
          {"p999", latency_at(99.9, median_us, sigma)},
          {"p9999", latency_at(99.99, median_us, sigma)},
          {"max", latency_at(99.9999, median_us, sigma)}};
}

// HdrHistogram-style spectrum: ticks halving the distance to 100%, then 100.
json spectrum(double median_us, double sigma) {
  json points = json::array();
  for (int k = 0; k < 80; ++k) {
    const double p = 100 * (1 - std::pow(0.5, k / 5.0));
    points.push_back({p, std::round(latency_at(std::max(p, 1.0), median_us, sigma))});
  }
  points.push_back({100.0, std::round(latency_at(99.9999, median_us, sigma))});
  return points;
}

json phase(const std::string& name, double start, double duration, const std::string& shape,
           const std::vector<double>& rates, bool warmup) {
  return {{"name", name},           {"start_s", start},
          {"duration_s", duration}, {"kind", "rate"},
          {"shape", shape},         {"from", rates.front()},
          {"to", rates.back()},     {"steps", shape == "steps" ? json(rates) : json::array()},
          {"warmup", warmup}};
}

struct OpShape {
  std::string name;
  double share;   // of the total rate
  double median;  // µs
};

// A run like `tikv-bench workload --json`: warm-up, a ramp, steps with a
// latency spike, `intervals` intervals of one second at most.
json synthetic_run(size_t intervals, const std::string& workload_name = "workloada") {
  const std::vector<OpShape> ops{
      {"read", 0.5, 420}, {"update", 0.3, 900}, {"scan", 0.1, 2600}, {"read_modify_write", 0.1, 1500}};
  const double length = intervals > 1000 ? 0.25 : 1.0;
  const double duration = static_cast<double>(intervals) * length;
  json run = {
      {"version", "0.1.0"},
      {"workload",
       {{"name", workload_name},
        {"source", "workloads/workloada.yaml"},
        {"spec",
         "name: workloada\nrecords: 100000\nphases:\n  - name: warmup\n    rate: 2000\n    "
         "duration: 30s\n    warmup: true\n  - name: ramp\n    rate: {from: 2000, to: 12000}\n"
         "  - name: steps\n    rate: {steps: [8000, 12000, 16000]}\nmix: {read: 0.5, update: 0.3, "
         "scan: 0.1, read_modify_write: 0.1}\n"}}},
      {"cluster",
       {{"pd", {"127.0.0.1:2379", "127.0.0.1:2382"}}, {"embedded_mock", true}, {"threads", 2}, {"transport", "batch"}}},
      {"started_at", "2026-11-29T21:55:00Z"},
      {"duration_s", duration},
      {"errors_by_kind", {{"timeout", 37}, {"server_is_busy", 4}}},
      {"retries_by_kind", {{"not_leader", 12}, {"epoch_not_match", 3}}},
      {"late", 18},
      {"verify", {{"checked", 5000}, {"lost", 0}, {"corrupt", 1}, {"examples", {"key user1234: value corrupt"}}}},
      {"thresholds",
       {{{"expr", "read.p99<10ms"}, {"ok", true}, {"value", "2.1ms"}},
        {{"expr", "update.p999<5ms"}, {"ok", false}, {"value", "11.4ms"}},
        {{"expr", "errors<0.1%"}, {"ok", true}, {"value", "0.004%"}}}},
  };
  const double warmup_end = duration * 0.1, ramp_end = duration * 0.4;
  run["phases"] = {phase("warmup", 0, warmup_end, "constant", {2000}, true),
                   phase("ramp", warmup_end, ramp_end - warmup_end, "ramp", {2000, 12000}, false),
                   phase("steps", ramp_end, duration - ramp_end, "steps", {8000, 12000, 16000}, false)};
  json series = json::array();
  double total_count = 0, total_errors = 0;
  std::vector<double> op_counts(ops.size(), 0);
  for (size_t i = 0; i < intervals; ++i) {
    const double t = static_cast<double>(i + 1) * length;
    const double rate = t <= warmup_end ? 2000
                        : t <= ramp_end ? 2000 + 10000 * (t - warmup_end) / (ramp_end - warmup_end)
                                        : 8000 + 4000 * std::floor(3 * (t - ramp_end) / (duration - ramp_end + 1e-9));
    const double load = 1 + rate / 16000 + (std::fabs(t - duration * 0.7) < duration * 0.02 ? 3 : 0);
    const double wobble =
        1 + 0.08 * std::sin(static_cast<double>(i) * 0.7) + 0.05 * std::cos(static_cast<double>(i) * 2.3);
    json interval_ops = json::object();
    for (size_t k = 0; k < ops.size(); ++k) {
      const double count = std::round(rate * ops[k].share * length * wobble);
      const double errors = std::fabs(t - duration * 0.7) < duration * 0.02 && k < 2 ? std::round(3 * wobble) : 0;
      const double median = ops[k].median * load * wobble;
      interval_ops[ops[k].name] = {{"count", count},
                                   {"errors", errors},
                                   {"p50_us", std::round(median)},
                                   {"p99_us", std::round(median * 4.5 * wobble)},
                                   {"max_us", std::round(median * (9 + 6 * std::sin(static_cast<double>(i) * 1.3)))}};
      op_counts[k] += count;
      total_count += count, total_errors += errors;
    }
    const std::string phase = t <= warmup_end ? "warmup" : t <= ramp_end ? "ramp" : "steps";
    series.push_back({{"t", t},
                      {"length_s", length},
                      {"phase", phase},
                      {"warmup", t <= warmup_end},
                      {"inflight", std::round(rate / 500)},
                      {"ops", interval_ops}});
  }
  run["intervals"] = series;
  json op_totals = json::object();
  for (size_t k = 0; k < ops.size(); ++k)
    op_totals[ops[k].name] = {{"count", op_counts[k]},
                              {"errors", k < 2 ? 20 : 0},
                              {"ops_per_sec", op_counts[k] / duration},
                              {"latency_us", latency_block(ops[k].median, 0.6)},
                              {"intended_latency_us", latency_block(ops[k].median * 1.1, 0.75)},
                              {"spectrum", spectrum(ops[k].median, 0.6)},
                              {"intended_spectrum", spectrum(ops[k].median * 1.1, 0.75)}};
  run["ops"] = op_totals;
  run["total"] = {{"count", total_count}, {"errors", total_errors}, {"ops_per_sec", total_count / duration}};
  return run;
}

size_t count_of(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// The value of attribute `name` in the tag that starts at `tag` (empty when
// it has none). Plain searching: std::regex recurses per character and runs
// out of stack on pages of megabytes (under ASan first).
std::string attribute(const std::string& page, size_t tag, std::string_view name) {
  const size_t end = page.find('>', tag);
  const size_t at = page.find(fmt::format(" {}=\"", name), tag);
  if (at == std::string::npos || at > end) return {};
  const size_t begin = at + name.size() + 3;
  return page.substr(begin, page.find('"', begin) - begin);
}

// The number of points in each <path class="series" ...> of the page.
std::vector<size_t> path_sizes(const std::string& page) {
  std::vector<size_t> sizes;
  const std::string_view needle = "<path class=\"series\"";
  for (size_t at = page.find(needle); at != std::string::npos; at = page.find(needle, at + 1)) {
    const std::string d = attribute(page, at, "d");
    sizes.push_back(count_of(d, "L") + count_of(d, "M"));
  }
  return sizes;
}

// ---- Headless Chromium.

std::string chromium_binary() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    const std::string probe = fmt::format("command -v {} >/dev/null 2>&1", name);
    if (std::system(probe.c_str()) == 0) return name;
  }
  return "";
}

struct ChromiumAvailable {
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
    boost::test_tools::assertion_result result(!chromium_binary().empty());
    result.message() << "no chromium binary in PATH (apt-get install chromium); skipping the browser check";
    return result;
  }
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "html_report_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

std::string run_command(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed");
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe)) out += buffer.data();
  pclose(pipe);
  return out;
}

struct PageLoad {
  std::string dom;                    // the DOM after the scripts ran
  std::vector<std::string> console;   // every console message the page caused
  std::vector<std::string> uncaught;  // those that report an uncaught exception
};

// Loads `page` (with "#selftest", so the hover code runs too) and collects
// the DOM and console messages. Chromium prints each console message, errors
// included, as an "INFO:CONSOLE" line on stderr with --enable-logging=stderr.
PageLoad load_page(const std::string& chromium, const std::filesystem::path& dir, const std::string& page) {
  const auto html = dir / "page.html";
  write_file(html, page);
  const auto log = dir / "chromium.log";
  const auto command = fmt::format(
      "timeout 90 {} --headless=new --no-sandbox --disable-gpu --user-data-dir={} --enable-logging=stderr --v=0 "
      "--dump-dom 'file://{}#selftest' 2>{}",
      chromium, (dir / "profile").string(), html.string(), log.string());
  PageLoad load;
  load.dom = run_command(command);
  std::istringstream lines(read_file(log));
  for (std::string line; std::getline(lines, line);) {
    if (line.find(":CONSOLE") == std::string::npos) continue;
    load.console.push_back(line);
    if (line.find("Uncaught") != std::string::npos) load.uncaught.push_back(line);
  }
  return load;
}

}  // namespace

BOOST_AUTO_TEST_CASE(page_has_the_four_chart_kinds) {
  const auto page = render_html(synthetic_run(300));
  BOOST_TEST(count_of(page, "id=\"throughput\"") == 1u);
  BOOST_TEST(count_of(page, "class=\"chart latency-chart\"") == 4u);  // one per operation type
  BOOST_TEST(count_of(page, "id=\"latency-read_modify_write\"") == 1u);
  BOOST_TEST(count_of(page, "id=\"spectrum\"") == 1u);
  BOOST_TEST(count_of(page, "id=\"errors\"") == 1u);
  BOOST_TEST(count_of(page, "data-name=\"read intended\"") == 1u);  // intended start drawn beside service
  BOOST_TEST(page.find(">99.9%<") != std::string::npos);            // the nines axis
  BOOST_TEST(page.find(">1ms<") != std::string::npos);              // latency ticks
}

BOOST_AUTO_TEST_CASE(phases_are_marked_on_every_time_chart) {
  const auto page = render_html(synthetic_run(300));
  const size_t time_charts = 1 + 4 + 1 + 1;  // throughput, latency per op, errors, retries
  BOOST_TEST(count_of(page, "<title>warmup (warm-up)</title>") == time_charts);
  BOOST_TEST(count_of(page, "<g class=\"band warmup\">") == time_charts);
  BOOST_TEST(count_of(page, "<title>ramp</title>") == time_charts);
  BOOST_TEST(count_of(page, "<title>steps</title>") == time_charts);
}

BOOST_AUTO_TEST_CASE(phases_come_from_intervals_when_the_list_is_missing) {
  auto run = synthetic_run(50);
  run.erase("phases");
  const auto page = render_html(run);
  BOOST_TEST(count_of(page, "<title>warmup (warm-up)</title>") == 7u);
  BOOST_TEST(count_of(page, "<title>steps</title>") == 7u);
}

BOOST_AUTO_TEST_CASE(strings_from_the_run_are_escaped) {
  auto run = synthetic_run(20, "<script>alert(1)</script>");
  run["errors_by_kind"]["<b>bold</b>"] = 1;
  run["thresholds"].push_back({{"expr", "read.p99<\"1ms\" & 'x'"}, {"ok", false}, {"value", "<img>"}});
  run["phases"][1]["name"] = "</title><script>x()</script>";
  run["intervals"][0]["ops"]["<svg onload=x>"] = {{"count", 1}, {"p50_us", 1}, {"p99_us", 1}, {"max_us", 1}};
  const auto page = render_html(run);
  BOOST_TEST(page.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  BOOST_TEST(page.find("<script>alert") == std::string::npos);
  BOOST_TEST(page.find("<script>x()") == std::string::npos);
  BOOST_TEST(page.find("<b>bold") == std::string::npos);
  BOOST_TEST(page.find("<img>") == std::string::npos);
  BOOST_TEST(page.find("<svg onload") == std::string::npos);
  BOOST_TEST(page.find("read.p99&lt;&quot;1ms&quot; &amp; &#39;x&#39;") != std::string::npos);
  BOOST_TEST(count_of(page, "<script>") == 1u);  // ours
}

BOOST_AUTO_TEST_CASE(page_references_nothing_on_the_network) {
  const auto page = render_html(synthetic_run(300));
  BOOST_TEST(page.find("http://") == std::string::npos);
  BOOST_TEST(page.find("https://") == std::string::npos);
  BOOST_TEST(page.find("src=") == std::string::npos);
  BOOST_TEST(page.find("@import") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(thresholds_verify_and_kinds_are_shown) {
  const auto page = render_html(synthetic_run(300));
  BOOST_TEST(page.find("<tr class=\"pass\"><td><code>read.p99&lt;10ms</code></td><td>2.1ms</td>") != std::string::npos);
  BOOST_TEST(page.find("<tr class=\"fail\"><td><code>update.p999&lt;5ms</code></td><td>11.4ms</td>") !=
             std::string::npos);
  BOOST_TEST(page.find("2 of 3 passed") != std::string::npos);
  BOOST_TEST(page.find("id=\"verify\"") != std::string::npos);
  BOOST_TEST(page.find("FAILED") != std::string::npos);  // one corrupt value
  BOOST_TEST(page.find("key user1234: value corrupt") != std::string::npos);
  BOOST_TEST(page.find("<td>server_is_busy</td><td>4</td>") != std::string::npos);
  BOOST_TEST(page.find("<td>not_leader</td><td>12</td>") != std::string::npos);
  BOOST_TEST(page.find("<pre>name: workloada\nrecords: 100000") != std::string::npos);
  BOOST_TEST(page.find("127.0.0.1:2379, 127.0.0.1:2382") != std::string::npos);
  BOOST_TEST(page.find("<td class=\"kind\">intended start</td>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(numbers_in_tables_are_grouped) {
  const json run = {{"ops", {{"read", {{"count", 1234567}, {"errors", 0}, {"ops_per_sec", 4761.26}}}}},
                    {"thresholds", {{{"expr", "read.p99<1ms"}}}}};
  const auto page = render_html(run);
  BOOST_TEST(page.find("<td rowspan=\"1\">1,234,567</td>") != std::string::npos);
  BOOST_TEST(page.find("<td rowspan=\"1\">4,761.3</td>") != std::string::npos);
  BOOST_TEST(page.find("<tr class=\"unknown\">") != std::string::npos);  // no outcome recorded
}

BOOST_AUTO_TEST_CASE(missing_and_mistyped_fields_never_throw) {
  for (const json& run : {json::object(), json(nullptr), json::array(), json(42), json("run")}) {
    std::string page;
    BOOST_REQUIRE_NO_THROW(page = render_html(run));
    BOOST_TEST(page.find("</html>") != std::string::npos);
  }
  json odd = {{"workload", 3},
              {"total", "x"},
              {"ops", {{"read", nullptr}, {"update", {{"latency_us", "?"}}}}},
              {"phases", {nullptr, {{"name", 5}, {"duration_s", "long"}}}},
              {"intervals", {nullptr, 1, {{"t", "x"}}}},
              {"thresholds", {nullptr, 1}},
              {"verify", {{"examples", {nullptr, {{"k", "\xff"}}}}}},
              {"errors_by_kind", {1, 2}},
              {"duration_s", nullptr},
              {"started_at", {1, 2}}};
  odd["ops"]["scan"] = {{"spectrum", {{1}, {"a", "b"}, {50, 100}, {100, 900}}}};
  odd["intervals"].push_back({{"t", 1.0}, {"ops", {{"read", {{"count", "many"}}}}}});
  BOOST_REQUIRE_NO_THROW(render_html(odd));
}

BOOST_AUTO_TEST_CASE(long_runs_are_downsampled_keeping_latency_peaks) {
  auto run = synthetic_run(100'000);
  run["intervals"][54'321]["ops"]["update"]["max_us"] = 4'000'000;  // one 4s outlier
  const auto page = render_html(run);
  const auto sizes = path_sizes(page);
  BOOST_TEST(sizes.size() > 10u);
  for (auto n : sizes) BOOST_TEST(n <= 1000u);
  // The update chart's y axis reaches 10s: the outlier survived.
  const size_t figure = page.find("id=\"latency-update\"><figcaption>");
  BOOST_REQUIRE(figure != std::string::npos);
  const size_t svg = page.find("<svg ", figure);
  BOOST_REQUIRE(svg != std::string::npos);
  BOOST_TEST(page.substr(figure, svg - figure).find("</figcaption>") != std::string::npos);
  const std::string y1 = attribute(page, svg, "data-y1");
  BOOST_REQUIRE(!y1.empty());
  BOOST_TEST(std::stod(y1) == 1e7);
  BOOST_TEST(page.size() < 4'000'000u);
}

BOOST_AUTO_TEST_CASE(a_single_interval_draws) {
  const auto page = render_html(synthetic_run(1));
  BOOST_TEST(count_of(page, "class=\"chart latency-chart\"") == 4u);
  BOOST_TEST(page.find("no data") == std::string::npos);
  // A lone point is drawn as a dot: a zero-length segment with round caps.
  BOOST_TEST(std::regex_search(page, std::regex(R"re(d="M([0-9.]+,[0-9.]+)L\1")re")));
}

BOOST_AUTO_TEST_CASE(downsample_keeps_the_max_or_the_mean) {
  std::vector<Point> points;
  for (int i = 0; i < 10; ++i) points.push_back({static_cast<double>(i), i == 3 ? 100.0 : 1.0});
  const auto max = downsample(points, 2, Reduce::kMax);
  BOOST_REQUIRE(max.size() == 2u);
  BOOST_TEST(max[0].y == 100.0);
  BOOST_TEST(max[0].x == 3.0);
  const auto mean = downsample(points, 2, Reduce::kMean);
  BOOST_TEST(mean[0].y == (100.0 + 4) / 5);
  points = {{0, NAN}, {1, NAN}, {2, 5}, {3, 6}};
  const auto gaps = downsample(points, 2, Reduce::kMax);
  BOOST_TEST(std::isnan(gaps[0].y));
  BOOST_TEST(gaps[1].y == 6.0);
}

BOOST_AUTO_TEST_CASE(values_read_as_the_axes_label_them) {
  BOOST_TEST(format_value(0, AxisUnit::kNines) == "0%");
  BOOST_TEST(format_value(1, AxisUnit::kNines) == "90%");
  BOOST_TEST(format_value(2, AxisUnit::kNines) == "99%");
  BOOST_TEST(format_value(4, AxisUnit::kNines) == "99.99%");
  BOOST_TEST(format_value(850, AxisUnit::kMicros) == "850\u00b5s");
  BOOST_TEST(format_value(1500, AxisUnit::kMicros) == "1.5ms");
  BOOST_TEST(format_value(2'000'000, AxisUnit::kMicros) == "2s");
  BOOST_TEST(format_value(999.9, AxisUnit::kRate) == "1k");
  BOOST_TEST(format_value(12'000, AxisUnit::kRate) == "12k");
  BOOST_TEST(format_value(1'500'000, AxisUnit::kRate) == "1.5M");
  BOOST_TEST(format_value(30, AxisUnit::kSeconds) == "30s");
  BOOST_TEST(format_value(900, AxisUnit::kSeconds) == "15m");
  BOOST_TEST(format_value(5400, AxisUnit::kSeconds) == "1h30m");
}

BOOST_AUTO_TEST_CASE(page_loads_in_headless_chromium_without_script_errors,
                     *boost::unit_test::precondition(ChromiumAvailable())) {
  const auto chromium = chromium_binary();
  TempDir dir;
  const auto page = render_html(synthetic_run(300));
  const auto load = load_page(chromium, dir.path, page);
  for (const auto& line : load.console) BOOST_TEST_MESSAGE("console: " << line);
  BOOST_TEST(load.console.empty());
  BOOST_TEST(load.dom.find("data-report-ready=\"1\"") != std::string::npos);
  // Hovering works on every chart: 7 time charts and the spectrum.
  BOOST_TEST(load.dom.find("data-hover-ok=\"8/8\"") != std::string::npos, load.dom.substr(0, 0));
  BOOST_TEST(load.dom.find("id=\"workload-spec\"") != std::string::npos);

  const auto png = dir.path / "report.png";
  run_command(
      fmt::format("timeout 90 {} --headless=new --no-sandbox --disable-gpu --user-data-dir={} --hide-scrollbars "
                  "--screenshot={} --window-size=1400,3000 'file://{}' 2>/dev/null",
                  chromium, (dir.path / "profile").string(), png.string(), (dir.path / "page.html").string()));
  const auto image = read_file(png);
  BOOST_TEST(image.size() > 50'000u);
  BOOST_TEST(image.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
  if (const char* keep = std::getenv("HTML_REPORT_SCREENSHOT"))
    std::filesystem::copy_file(png, keep, std::filesystem::copy_options::overwrite_existing);
}

BOOST_AUTO_TEST_CASE(chromium_check_catches_a_script_error, *boost::unit_test::precondition(ChromiumAvailable())) {
  TempDir dir;
  auto page = render_html(synthetic_run(5));
  const auto at = page.find("\"use strict\";");
  BOOST_REQUIRE(at != std::string::npos);
  page.insert(at, "throw new Error(\"deliberate\");\n");
  const auto load = load_page(chromium_binary(), dir.path, page);
  BOOST_TEST(load.uncaught.size() == 1u);
  BOOST_TEST(load.dom.find("data-report-ready=\"1\"") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()  // html_report_test
