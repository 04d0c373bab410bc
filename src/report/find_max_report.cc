#include "report/find_max_report.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "report/page_assets.h"
#include "report/svg_chart.h"
#include "version.h"

namespace tikvbench::report {
namespace {

nlohmann::json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// The steps by rate, for the curve (Series wants its points sorted by x).
std::vector<const FindMaxStep*> by_rate(const FindMaxResult& result) {
  std::vector<const FindMaxStep*> steps;
  for (const auto& step : result.steps) steps.push_back(&step);
  std::stable_sort(steps.begin(), steps.end(), [](const auto* a, const auto* b) { return a->target < b->target; });
  return steps;
}

std::pair<double, double> rate_domain(const std::vector<const FindMaxStep*>& steps) {
  if (steps.empty()) return {0, 1};
  const double low = static_cast<double>(steps.front()->target);
  const double high = static_cast<double>(steps.back()->target);
  return {0, std::max(high, low) * 1.05};
}

std::string latency_curve(const FindMaxResult& result, const std::vector<const FindMaxStep*>& steps) {
  ChartSpec chart;
  chart.id = "find-max-latency";
  chart.css_class = "latency-chart";
  chart.title = "p99 and p50 latency (from the intended start) against the rate asked for";
  chart.x_unit = AxisUnit::kRate;
  chart.y_unit = AxisUnit::kMicros;
  chart.y_scale = AxisScale::kLog;
  chart.x_label = "target ops/s";
  chart.y_label = "latency";
  chart.x_domain = rate_domain(steps);
  chart.height = 320;
  const double gap = std::numeric_limits<double>::quiet_NaN();
  Series p99{"p99", "#e6550d", {}, false, 2.2};
  Series p50{"p50", "#3182bd", {}, false, 1.4};
  for (const auto* step : steps) {
    const double x = static_cast<double>(step->target);
    p99.points.push_back({x, step->p99_us.value_or(gap)});
    p50.points.push_back({x, step->p50_us.value_or(gap)});
  }
  chart.series.push_back(std::move(p99));
  chart.series.push_back(std::move(p50));
  // Each latency SLO as a dashed level across the chart.
  for (const auto& slo : result.slo) {
    if (!slo.is_latency()) continue;
    chart.series.push_back({"SLO " + slo.expr, "#555555",
                            {{chart.x_domain->first, slo.limit}, {chart.x_domain->second, slo.limit}}, true, 1.2});
  }
  if (result.highest) chart.bands.push_back({0, static_cast<double>(*result.highest), "within the SLO", false});
  chart.empty_note = "no steps ran";
  return render_chart(chart);
}

std::string error_curve(const FindMaxResult& result, const std::vector<const FindMaxStep*>& steps) {
  ChartSpec chart;
  chart.id = "find-max-errors";
  chart.css_class = "errors-chart";
  chart.title = "Error rate (%) and achieved rate (% of the target) against the rate asked for";
  chart.x_unit = AxisUnit::kRate;
  chart.y_unit = AxisUnit::kCount;
  chart.x_label = "target ops/s";
  chart.y_label = "%";
  chart.x_domain = rate_domain(steps);
  chart.height = 260;
  Series errors{"error rate %", "#b3261e", {}, false, 2.0};
  Series achieved{"achieved % of target", "#137333", {}, false, 1.4};
  for (const auto* step : steps) {
    const double x = static_cast<double>(step->target);
    errors.points.push_back({x, 100.0 * step->error_rate});
    achieved.points.push_back({x, step->target > 0 ? 100.0 * step->achieved / static_cast<double>(step->target) : 0});
  }
  chart.series.push_back(std::move(errors));
  chart.series.push_back(std::move(achieved));
  if (result.highest) chart.bands.push_back({0, static_cast<double>(*result.highest), "within the SLO", false});
  chart.empty_note = "no steps ran";
  return render_chart(chart);
}

std::string steps_table(const FindMaxResult& result) {
  std::string rows;
  for (size_t i = 0; i < result.steps.size(); ++i) {
    const auto& step = result.steps[i];
    const auto latency = [](const std::optional<double>& us) {
      return us ? format_value(*us, AxisUnit::kMicros) : std::string("no data");
    };
    rows += fmt::format(
        "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{:.1f}</td><td>{}</td><td>{}</td><td>{:.2f}%</td>"
        "<td class=\"verdict\">{}</td></tr>\n",
        step.held ? "pass" : "fail", i + 1, step.bisecting ? "bisect" : "rise", step.target, step.achieved,
        latency(step.p50_us), latency(step.p99_us), 100.0 * step.error_rate,
        step.held ? "held" : html_escape("broken: " + step.broken_by));
  }
  return "<section id=\"steps\"><h2>Steps, in the order they ran</h2><table><tr><th>step</th><th>phase</th>"
         "<th>target ops/s</th><th>achieved ops/s</th><th>p50</th><th>p99</th><th>errors</th><th>verdict</th></tr>\n" +
         rows + "</table></section>\n";
}

}  // namespace

nlohmann::json find_max_json(const FindMaxResult& result) {
  nlohmann::json out;
  out["kind"] = "find-max";
  out["version"] = kVersion;
  out["workload"] = result.workload;
  out["slo"] = nlohmann::json::array();
  for (const auto& slo : result.slo) out["slo"].push_back(slo.expr);
  out["start_ops_per_sec"] = result.start;
  out["max_ops_per_sec"] = result.max ? nlohmann::json(*result.max) : nlohmann::json(nullptr);
  out["precision"] = result.precision;
  out["step_duration_s"] = result.step_duration_s;
  out["min_achieved"] = result.min_achieved;
  out["steps"] = nlohmann::json::array();
  for (size_t i = 0; i < result.steps.size(); ++i) {
    const auto& step = result.steps[i];
    nlohmann::json slo = nlohmann::json::array();
    for (const auto& outcome : step.slo) slo.push_back({{"expr", outcome.expr}, {"ok", outcome.ok}, {"value", outcome.value}});
    out["steps"].push_back({{"step", i + 1},
                            {"phase", step.bisecting ? "bisect" : "rise"},
                            {"target_ops_per_sec", step.target},
                            {"achieved_ops_per_sec", step.achieved},
                            {"count", step.count},
                            {"errors", step.errors},
                            {"p50_us", optional_number(step.p50_us)},
                            {"p99_us", optional_number(step.p99_us)},
                            {"error_rate", step.error_rate},
                            {"duration_s", step.duration_s},
                            {"ok", step.held},
                            {"broken_by", step.broken_by},
                            {"slo", std::move(slo)}});
  }
  out["highest_ops_per_sec"] = result.highest ? nlohmann::json(*result.highest) : nlohmann::json(nullptr);
  out["ended_by"] = result.ended_by;
  return out;
}

std::string find_max_html(const FindMaxResult& result) {
  const auto steps = by_rate(result);
  std::string slo_text;
  for (const auto& slo : result.slo) slo_text += (slo_text.empty() ? "" : ", ") + slo.expr;
  std::string page = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>tikv-bench find-max: {}</title><style>{}{}</style></head><body>\n",
      html_escape(result.workload), page_style(), chart_style());
  page += fmt::format("<header><h1>tikv-bench find-max: <span class=\"workload-name\">{}</span></h1>",
                      html_escape(result.workload));
  page += fmt::format(
      "<p class=\"answer\">Highest rate within the SLO ({}): <span class=\"{}\">{}</span></p>"
      "<p>{} steps of {:.3g}s from {} ops/s{}, bisected to within {:.3g}%; a step holds when every SLO holds and its "
      "successes reach {:.0f}% of its target. Ended by: {}.</p></header>\n",
      html_escape(slo_text), result.highest ? "pass" : "fail",
      result.highest ? fmt::format("{} ops/s", *result.highest) : std::string("none (the first step broke)"),
      result.steps.size(), result.step_duration_s, result.start,
      result.max ? fmt::format(" up to {} ops/s", *result.max) : std::string(), 100.0 * result.precision,
      100.0 * result.min_achieved, html_escape(result.ended_by));
  page += "<section id=\"curve\"><h2>The curve</h2>" + latency_curve(result, steps) + error_curve(result, steps) +
          "</section>\n";
  page += steps_table(result);
  page += fmt::format("<footer>Generated by tikv-bench {}.</footer>\n<script>{}</script>\n</body></html>\n",
                      html_escape(kVersion), chart_script());
  return page;
}

}  // namespace tikvbench::report
