#include "report/comparison_html.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "report/json_field.h"
#include "report/page_assets.h"
#include "report/run_timelines.h"
#include "report/svg_chart.h"

namespace tikvbench::report {
namespace {

using nlohmann::json;

constexpr std::string_view kColorA = "#1f77b4";
constexpr std::string_view kColorB = "#d62728";
constexpr size_t kMaxComparedPoints = 1000;

// The operation types with rows, in the rows' order.
std::vector<std::string> compared_ops(const Comparison& c) {
  std::vector<std::string> ops;
  for (const auto& row : c.rows)
    if (ops.empty() || ops.back() != row.op) ops.push_back(row.op);
  return ops;
}

// An element id: [a-z0-9_-] only, numbered so that two ops never share one.
std::string compared_chart_id(std::string_view prefix, const std::string& op, size_t index) {
  std::string out = fmt::format("{}{}-", prefix, index);
  for (char c : op) {
    const bool keep = std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
                      c == '-' || c == '_';
    out += keep ? c : '_';
  }
  return out;
}

// The last instant either run has an interval or a duration for.
double shared_end(const json& a, const Timelines& lines_a, const json& b, const Timelines& lines_b) {
  double end = 0;
  for (const auto* run : {&a, &b})
    if (const double d = number(run, "duration_s"); d > 0) end = std::max(end, d);
  for (const auto* lines : {&lines_a, &lines_b})
    for (const auto& p : lines->total_rate) end = std::max(end, p.x);
  return end;
}

std::vector<Point> series_of(const Timelines& lines, const std::string& op, bool rate) {
  const auto it = lines.ops.find(op);
  if (it == lines.ops.end()) return {};
  return downsample(rate ? it->second.rate : it->second.p99, kMaxComparedPoints, rate ? Reduce::kMean : Reduce::kMax);
}

std::string pair_chart(const std::string& op, size_t index, bool rate, double end, const Timelines& lines_a,
                       const Timelines& lines_b, const Comparison& c) {
  ChartSpec chart;
  chart.id = compared_chart_id(rate ? "throughput-" : "p99-", op, index);
  chart.css_class = rate ? "throughput-chart" : "latency-chart";
  chart.title = rate ? op + " throughput over time" : op + " p99 latency from the intended start, per interval";
  chart.x_unit = AxisUnit::kSeconds;
  chart.x_label = "time since the run's start (s)";
  chart.y_unit = rate ? AxisUnit::kRate : AxisUnit::kMicros;
  chart.y_scale = rate ? AxisScale::kLinear : AxisScale::kLog;
  chart.y_label = rate ? "ops/s" : "latency";
  if (end > 0) chart.x_domain = {0, end};
  chart.series.push_back({"A: " + c.a.name, std::string(kColorA), series_of(lines_a, op, rate)});
  chart.series.push_back({"B: " + c.b.name, std::string(kColorB), series_of(lines_b, op, rate), false, 2.0});
  chart.empty_note = "no intervals";
  chart.width = 1300;
  chart.height = 280;
  return render_chart(chart);
}

std::string rows_table(const Comparison& c, std::optional<double> bound_pct) {
  std::string out =
      "<table class=\"compare-table\"><tr><th>operation</th><th>metric</th><th>A</th><th>B</th><th>change</th>"
      "<th>p</th><th>n</th><th>verdict</th></tr>\n";
  for (const auto& row : c.rows) {
    const bool beyond = bound_pct && row.beyond(*bound_pct);
    const std::string change = !row.significant                  ? "~"
                               : !std::isnan(row.change_pct) ? fmt::format("{:+.2f}%", row.change_pct)
                                                               : "-";
    const std::string verdict = beyond      ? fmt::format("regression beyond {:g}%", *bound_pct)
                                : row.worse ? "worse"
                                : row.significant ? "better"
                                                  : "";
    out += fmt::format(
        "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.3f}</td><td>{}+{}</td>"
        "<td class=\"verdict\">{}</td></tr>\n",
        beyond ? "fail" : (row.significant && !row.worse ? "pass" : ""), html_escape(row.op), html_escape(row.metric),
        compared_figure(row, row.a), compared_figure(row, row.b), change, row.test.p_value, row.test.n_a,
        row.test.n_b, verdict);
  }
  out += "</table>\n";
  for (const auto& op : c.only_in_a) out += fmt::format("<p class=\"note\">{}: only in A</p>\n", html_escape(op));
  for (const auto& op : c.only_in_b) out += fmt::format("<p class=\"note\">{}: only in B</p>\n", html_escape(op));
  out += fmt::format(
      "<p class=\"note\">A, B: whole-run figures, latency from the intended start. Change: ~ unless significant at "
      "p &lt; {:g} (Mann-Whitney U over the runs' intervals, n = intervals of A + of B).</p>\n",
      c.alpha);
  return out;
}

std::string run_line(std::string_view label, const RunHeadline& run, std::string_view color) {
  return fmt::format(
      "<p><b style=\"color:{}\">{}</b>: {} &mdash; {}, started {}, {:.1f} s, {} intervals</p>\n", color, label,
      html_escape(run.name), html_escape(run.workload.empty() ? "-" : run.workload),
      html_escape(run.started_at.empty() ? "-" : run.started_at),
      std::isfinite(run.duration_s) ? run.duration_s : 0.0, run.intervals);
}

}  // namespace

std::string render_comparison_html(const Comparison& c, const json& a, const json& b,
                                   std::optional<double> bound_pct) {
  const auto ops = compared_ops(c);
  const auto lines_a = timelines(a, ops);
  const auto lines_b = timelines(b, ops);
  const double end = shared_end(a, lines_a, b, lines_b);
  std::string page = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>tikv-bench compare: {} vs {}</title><style>{}{}</style></head><body>\n",
      html_escape(c.a.name), html_escape(c.b.name), page_style(), chart_style());
  page += "<header><h1>tikv-bench compare</h1>\n";
  page += run_line("A", c.a, kColorA);
  page += run_line("B", c.b, kColorB);
  page += "</header>\n<section id=\"comparison\"><h2>Change from A to B</h2>\n" + rows_table(c, bound_pct) +
          "</section>\n";
  page += "<section id=\"charts\"><h2>Over time</h2>\n";
  for (size_t i = 0; i < ops.size(); ++i) {
    page += fmt::format("<h3>{}</h3>\n", html_escape(ops[i]));
    page += pair_chart(ops[i], i, true, end, lines_a, lines_b, c);
    page += pair_chart(ops[i], i, false, end, lines_a, lines_b, c);
  }
  if (ops.empty()) page += "<p class=\"note\">The runs have no operation type in common.</p>\n";
  page += "</section>\n";
  page += fmt::format("<footer>Generated by tikv-bench compare.</footer>\n<script>{}</script>\n</body></html>\n",
                      chart_script());
  return page;
}

}  // namespace tikvbench::report
