#include "report/html_report.h"

#include "report/json_field.h"
#include "report/page_assets.h"
#include "report/html_cluster_sections.h"
#include "report/run_timelines.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "report/svg_chart.h"

namespace tikvbench::report {
namespace {

using nlohmann::json;

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
constexpr size_t kMaxPoints = 1000;
constexpr std::string_view kTotalColor = "#222222";

// Known operation types in display order, each with its colour in every chart.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kKnownOps{{
    {"read", "#1f77b4"},
    {"update", "#ff7f0e"},
    {"insert", "#2ca02c"},
    {"scan", "#9467bd"},
    {"read_modify_write", "#8c564b"},
    {"delete", "#d62728"},
    {"batch_get", "#17becf"},
    {"batch_put", "#e377c2"},
}};
constexpr std::array<std::string_view, 4> kExtraColors{"#bcbd22", "#7f7f7f", "#393b79", "#637939"};

constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kPercentiles{{
    {"min", "min"},
    {"mean", "mean"},
    {"p50", "p50"},
    {"p90", "p90"},
    {"p95", "p95"},
    {"p99", "p99"},
    {"p999", "p99.9"},
    {"p9999", "p99.99"},
    {"max", "max"},
}};

std::string esc(const std::string& s) { return html_escape(s); }

// "1,234,567" or, with decimals, "4,761.2"; "-" when there is no number.
std::string grouped(double v, int decimals = 0) {
  if (!std::isfinite(v)) return "-";
  std::string out = fmt::format("{:.{}f}", v, decimals);
  const size_t digits_begin = out[0] == '-' ? 1 : 0;
  const size_t digits_end = std::min(out.find('.'), out.size());
  for (size_t i = digits_end; i > digits_begin + 3; i -= 3) out.insert(i - 3, ",");
  return out;
}

// ---- Operations and their colours.

std::string op_color(const std::string& op, size_t index) {
  for (const auto& [name, color] : kKnownOps)
    if (name == op) return std::string(color);
  return std::string(kExtraColors[index % kExtraColors.size()]);
}

// An element id for `op`'s chart: [a-z0-9_-] only, unique through `index`
// when the name had to be changed.
std::string chart_id(std::string_view prefix, const std::string& op, size_t index) {
  std::string out(prefix);
  bool changed = false;
  for (char c : op) {
    const bool keep = std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
                      c == '-' || c == '_';
    out += keep ? c : '_';
    changed |= !keep;
  }
  return changed ? fmt::format("{}-{}", out, index) : out;
}

bool any_point(const std::vector<Point>& points) {
  return std::any_of(points.begin(), points.end(), [](const Point& p) { return std::isfinite(p.y) && p.y > 0; });
}

// ---- Charts.

// What every time chart shares: the phases and the time span.
struct TimeAxis {
  std::vector<Band> phases;
  double end = 0;
  std::vector<Alert> alerts;    // windows that broke the SLO
  std::vector<Marker> markers;  // events
};

TimeAxis time_axis(const json& run, const Timelines& lines) {
  TimeAxis axis{phase_bands(run), number(&run, "duration_s"), slo_alerts(run), event_markers(run)};
  if (!(axis.end > 0)) axis.end = 0;
  for (const auto& p : lines.total_rate) axis.end = std::max(axis.end, p.x);
  for (const auto& band : axis.phases) axis.end = std::max(axis.end, band.to);
  return axis;
}

ChartSpec time_chart(const TimeAxis& axis, std::string id, std::string css_class, std::string title) {
  ChartSpec chart;
  chart.id = std::move(id);
  chart.css_class = std::move(css_class);
  chart.title = std::move(title);
  chart.x_unit = AxisUnit::kSeconds;
  chart.x_label = "time since start (s)";
  chart.bands = axis.phases;
  chart.alerts = axis.alerts;
  chart.markers = axis.markers;
  if (axis.end > 0) chart.x_domain = {0, axis.end};
  return chart;
}

std::string throughput_chart(const TimeAxis& axis, const std::vector<std::string>& ops, const Timelines& lines) {
  auto chart = time_chart(axis, "throughput", "throughput-chart", "Throughput over time");
  chart.y_unit = AxisUnit::kRate;
  chart.y_label = "ops/s";
  for (size_t i = 0; i < ops.size(); ++i)
    if (any_point(lines.ops.at(ops[i]).rate))
      chart.series.push_back(
          {ops[i], op_color(ops[i], i), downsample(lines.ops.at(ops[i]).rate, kMaxPoints, Reduce::kMean)});
  if (chart.series.size() != 1)
    chart.series.push_back(
        {"total", std::string(kTotalColor), downsample(lines.total_rate, kMaxPoints, Reduce::kMean), false, 2.4});
  if (any_point(lines.target))
    chart.series.push_back(
        {"target (open loop)", "#555555", downsample(lines.target, kMaxPoints, Reduce::kMean), true, 1.4});
  return render_chart(chart);
}

std::string retries_chart(const TimeAxis& axis, const Timelines& lines) {
  auto chart = time_chart(axis, "retries", "retries-chart", "Client retries over time, by kind");
  chart.y_unit = AxisUnit::kRate;
  chart.y_label = "retries/s";
  chart.height = 240;
  static constexpr std::array<std::string_view, 8> kColors = {"#6a3d9a", "#ff7f00", "#1f78b4", "#e31a1c",
                                                              "#33a02c", "#b15928", "#a6cee3", "#fb9a99"};
  size_t i = 0;
  for (const auto& [kind, points] : lines.retries)
    chart.series.push_back({kind, std::string(kColors[i++ % kColors.size()]), downsample(points, kMaxPoints, Reduce::kMax)});
  chart.empty_note = "no retries";
  return render_chart(chart);
}

std::string latency_chart(const TimeAxis& axis, const std::string& op, size_t index, const OpTimeline& line,
                          int width) {
  auto chart =
      time_chart(axis, chart_id("latency-", op, index), "latency-chart",
                 op + " latency from the intended start, per interval (successes)");
  chart.y_unit = AxisUnit::kMicros;
  chart.y_scale = AxisScale::kLog;
  chart.y_label = "latency";
  chart.width = width;
  chart.height = 260;
  chart.series.push_back({"p50", "#3182bd", downsample(line.p50, kMaxPoints, Reduce::kMax)});
  chart.series.push_back({"p99", "#e6550d", downsample(line.p99, kMaxPoints, Reduce::kMax)});
  chart.series.push_back({"p99.9", "#c51b8a", downsample(line.p999, kMaxPoints, Reduce::kMax)});
  chart.series.push_back({"max", "#a50f15", downsample(line.max, kMaxPoints, Reduce::kMax), false, 1.1});
  return render_chart(chart);
}

std::string errors_chart(const TimeAxis& axis, const std::vector<std::string>& ops, const Timelines& lines) {
  auto chart = time_chart(axis, "errors", "errors-chart", "Errors over time");
  chart.y_unit = AxisUnit::kRate;
  chart.y_label = "errors/s";
  chart.height = 240;
  for (size_t i = 0; i < ops.size(); ++i)
    if (lines.ops.at(ops[i]).total_errors > 0)
      chart.series.push_back(
          {ops[i], op_color(ops[i], i), downsample(lines.ops.at(ops[i]).errors, kMaxPoints, Reduce::kMax)});
  if (chart.series.size() != 1)
    chart.series.push_back({chart.series.empty() ? "total (no errors)" : "total", std::string(kTotalColor),
                            downsample(lines.total_errors, kMaxPoints, Reduce::kMax), false, 2.0});
  return render_chart(chart);
}

// [[percentile, value_us], ...] on the nines scale; 100% sits on the right edge.
std::vector<Point> spectrum_points(const json* spectrum) {
  std::vector<Point> points;
  double right = 1;
  for (const auto& pair : items(spectrum)) {
    if (!pair.is_array() || pair.size() < 2) continue;
    const double p = number(&pair[0]), v = number(&pair[1]);
    if (!std::isfinite(p) || !std::isfinite(v) || p < 0) continue;
    const double nines = p >= 100 ? kMissing : -std::log10(1 - p / 100);
    if (std::isfinite(nines)) right = std::max(right, std::ceil(nines - 1e-9));
    points.push_back({nines, v});
  }
  for (auto& point : points)
    if (!std::isfinite(point.x)) point.x = right;
  std::stable_sort(points.begin(), points.end(), [](const Point& a, const Point& b) { return a.x < b.x; });
  return downsample(points, kMaxPoints, Reduce::kMax);
}

std::string spectrum_chart(const json& run, const std::vector<std::string>& ops) {
  ChartSpec chart;
  chart.id = "spectrum";
  chart.css_class = "spectrum-chart";
  chart.title = "Percentile spectrum (solid: service latency; dashed: latency from the intended start)";
  chart.x_unit = AxisUnit::kNines;
  chart.x_label = "percentile";
  chart.y_unit = AxisUnit::kMicros;
  chart.y_scale = AxisScale::kLog;
  chart.y_label = "latency";
  chart.height = 380;
  const json* all = field(&run, "ops");
  for (size_t i = 0; i < ops.size(); ++i) {
    const json* op = field(all, ops[i]);
    auto service = spectrum_points(field(op, "spectrum"));
    auto intended = spectrum_points(field(op, "intended_spectrum"));
    if (!service.empty()) chart.series.push_back({ops[i] + " service", op_color(ops[i], i), std::move(service)});
    if (!intended.empty())
      chart.series.push_back({ops[i] + " intended", op_color(ops[i], i), std::move(intended), true});
  }
  if (chart.series.empty()) return "";
  return render_chart(chart);
}

// ---- Page sections.

std::string fact(std::string_view label, const std::string& value, std::string_view css = "") {
  return fmt::format("<div class=\"fact {}\"><div class=\"label\">{}</div><div class=\"value\">{}</div></div>", css,
                     label, value);
}

std::string header_section(const json& run) {
  const json* workload = field(&run, "workload");
  std::string name = text(workload, "name");
  if (name.empty()) name = "unnamed workload";
  const json* total = field(&run, "total");
  const double ok = number(total, "count"), errors = number(total, "errors");
  // Operations as the summary line counts them: successes and failures.
  const double count = ok + (std::isfinite(errors) ? errors : 0);
  std::string out =
      fmt::format("<header><h1>tikv-bench report: <span class=\"workload-name\">{}</span></h1>", esc(name));
  if (const auto source = text(workload, "source"); !source.empty())
    out += fmt::format("<p class=\"source\">{}</p>", esc(source));
  const double duration = number(&run, "duration_s");
  out += "<div class=\"facts\">";
  out += fact("started", esc(text(&run, "started_at").empty() ? "-" : text(&run, "started_at")));
  out += fact("duration", std::isfinite(duration) ? fmt::format("{:.1f} s", duration) : "-");
  out += fact("operations", grouped(count));
  out += fact("failed", grouped(errors), errors > 0 ? "bad" : "");
  if (count > 0 && std::isfinite(errors)) out += fact("error rate", fmt::format("{:.3g}%", 100 * errors / count));
  out += fact("throughput", std::isfinite(number(total, "ops_per_sec"))
                                ? format_value(number(total, "ops_per_sec"), AxisUnit::kRate) + " ops/s"
                                : "-");
  if (const double missing = number(total, "not_found"); missing > 0) out += fact("not found", grouped(missing), "bad");
  if (const json* warmup = field(&run, "warmup"); warmup != nullptr && warmup->is_object()) {
    const json* warm_total = field(warmup, "total");
    out += fact("warm-up (apart)", fmt::format("{} ops in {:.1f} s", grouped(number(warm_total, "count") +
                                                                            number(warm_total, "errors")),
                                               number(warmup, "duration_s")));
  }
  if (const auto ended = text(&run, "ended_by"); !ended.empty()) out += fact("ended by", esc(ended));
  if (const json* cluster = field(&run, "cluster"); text(cluster, "embedded_mock") == "true") {
    out += fact("cluster", "embedded mock (no --pd)", "bad");
  }
  if (const auto version = text(&run, "version"); !version.empty()) out += fact("tikv-bench", esc(version));
  return out + "</div></header>\n";
}

std::string thresholds_section(const json& run) {
  const json& list = items(field(&run, "thresholds"));
  if (list.empty()) return "";
  size_t passed = 0;
  std::string rows;
  for (const auto& t : list) {
    const std::string ok = text(&t, "ok");  // "true", "false" or unknown
    passed += ok == "true" ? 1 : 0;
    rows += fmt::format("<tr class=\"{}\"><td><code>{}</code></td><td>{}</td><td class=\"verdict\">{}</td></tr>",
                        ok == "true"    ? "pass"
                        : ok == "false" ? "fail"
                                        : "unknown",
                        esc(text(&t, "expr")), esc(text(&t, "value")),
                        ok == "true"    ? "PASS"
                        : ok == "false" ? "FAIL"
                                        : "?");
  }
  return fmt::format(
      "<section id=\"thresholds\"><h2>Thresholds <span class=\"{}\">{} of {} passed</span></h2><table>"
      "<tr><th>threshold</th><th>measured</th><th>result</th></tr>{}</table></section>\n",
      passed == list.size() ? "pass" : "fail", passed, list.size(), rows);
}

std::string latency_cells(const json* latency) {
  std::string out;
  for (const auto& [key, _] : kPercentiles) {
    const double v = number(latency, key);
    out += fmt::format("<td>{}</td>", std::isfinite(v) ? format_value(v, AxisUnit::kMicros) : "-");
  }
  return out;
}

std::string ops_section(const json& run, const std::vector<std::string>& ops) {
  const json* all = field(&run, "ops");
  std::string rows;
  for (const auto& name : ops) {
    const json* op = field(all, name);
    if (op == nullptr) continue;
    const json* intended = field(op, "intended_latency_us");
    const int span = intended != nullptr ? 2 : 1;
    rows += fmt::format(
        "<tr><th rowspan=\"{0}\">{1}</th><td rowspan=\"{0}\">{2}</td><td rowspan=\"{0}\" class=\"{3}\">{4}</td>"
        "<td rowspan=\"{0}\">{7}</td><td rowspan=\"{0}\">{5}</td><td class=\"kind\">service</td>{6}</tr>",
        span, esc(name), grouped(number(op, "count")), number(op, "errors") > 0 ? "bad" : "",
        grouped(number(op, "errors")), grouped(number(op, "ops_per_sec"), 1), latency_cells(field(op, "latency_us")),
        std::isfinite(number(op, "not_found")) ? grouped(number(op, "not_found")) : "-");
    if (intended != nullptr)
      rows +=
          fmt::format("<tr class=\"intended\"><td class=\"kind\">intended start</td>{}</tr>", latency_cells(intended));
  }
  if (rows.empty()) return "";
  std::string head =
      "<tr><th>operation</th><th>count</th><th>errors</th><th>not found</th><th>ops/s</th><th class=\"kind\">latency</th>";
  for (const auto& [_, label] : kPercentiles) head += fmt::format("<th>{}</th>", label);
  return fmt::format(
      "<section id=\"ops\"><h2>Operations</h2><table class=\"ops-table\">{}</tr>{}</table>"
      "<p class=\"note\">service: from sending the request; intended start: from when the schedule "
      "meant to send it (includes queueing, free of coordinated omission).</p></section>\n",
      head, rows);
}

std::string counts_table(const json* counts, std::string_view id, std::string_view title) {
  if (counts == nullptr || !counts->is_object() || counts->empty()) return "";
  std::string rows;
  for (const auto& [kind, n] : counts->items())
    rows += fmt::format("<tr><td>{}</td><td>{}</td></tr>", esc(kind), esc(text(&n)));
  return fmt::format(
      "<div class=\"kinds\" id=\"{}\"><h3>{}</h3><table><tr><th>kind</th><th>count</th></tr>{}"
      "</table></div>",
      id, title, rows);
}

std::string errors_section(const json& run) {
  std::string body = counts_table(field(&run, "errors_by_kind"), "errors-by-kind", "Errors by kind") +
                     counts_table(field(&run, "retries_by_kind"), "retries-by-kind", "Retries by kind");
  if (const double late = number(&run, "late"); std::isfinite(late))
    body += fmt::format("<p class=\"late\">Late starts (waited for an in-flight slot): {}</p>", grouped(late));
  if (body.empty()) return "";
  return "<section id=\"error-kinds\"><h2>Errors and retries</h2><div class=\"row\">" + body + "</div></section>\n";
}

std::string verify_section(const json& run) {
  const json* verify = field(&run, "verify");
  if (verify == nullptr || !verify->is_object()) return "";
  const double lost = number(verify, "lost"), corrupt = number(verify, "corrupt");
  const bool ok = !(lost > 0) && !(corrupt > 0);
  std::string out = fmt::format(
      "<section id=\"verify\"><h2>Verify <span class=\"{}\">{}</span></h2><table><tr><th>checked</th><th>lost</th>"
      "<th>corrupt</th></tr><tr><td>{}</td><td class=\"{}\">{}</td><td class=\"{}\">{}</td></tr></table>",
      ok ? "pass" : "fail", ok ? "OK" : "FAILED", grouped(number(verify, "checked")), lost > 0 ? "bad" : "",
      grouped(lost), corrupt > 0 ? "bad" : "", grouped(corrupt));
  const json& examples = items(field(verify, "examples"));
  if (!examples.empty()) {
    out += "<h3>Examples</h3><ul class=\"examples\">";
    for (const auto& e : examples) out += fmt::format("<li><code>{}</code></li>", esc(text(&e)));
    out += "</ul>";
  }
  return out + "</section>\n";
}

std::string cluster_section(const json& run) {
  const json* cluster = field(&run, "cluster");
  if (cluster == nullptr || !cluster->is_object() || cluster->empty()) return "";
  std::string rows;
  for (const auto& [key, value] : cluster->items())
    rows += fmt::format("<tr><th>{}</th><td>{}</td></tr>", esc(key), esc(text(&value)));
  return "<section id=\"cluster\"><h2>Cluster</h2><table class=\"kv\">" + rows + "</table></section>\n";
}

std::string spec_section(const json& run) {
  const json* spec = field(field(&run, "workload"), "spec");
  if (spec == nullptr) return "";
  const std::string body =
      spec->is_string() ? spec->get<std::string>() : spec->dump(2, ' ', false, json::error_handler_t::replace);
  return "<section id=\"workload-spec\"><h2>Workload spec</h2><pre>" + esc(body) + "</pre></section>\n";
}

std::string charts_section(const json& run, const std::vector<std::string>& ops) {
  const Timelines lines = timelines(run, ops);
  std::string out = "<section id=\"charts\"><h2>Over time</h2>";
  if (lines.total_rate.empty()) {
    out += "<p class=\"note\">No interval data in this run.</p>";
  } else {
    const TimeAxis axis = time_axis(run, lines);
    out += throughput_chart(axis, ops, lines);
    std::vector<size_t> with_latency;
    for (size_t i = 0; i < ops.size(); ++i)
      if (any_point(lines.ops.at(ops[i]).max) || any_point(lines.ops.at(ops[i]).p99)) with_latency.push_back(i);
    // Two columns when there are several, so the page stays short.
    const int width = with_latency.size() > 1 ? 650 : 1300;
    out += "<div class=\"latency-grid\">";
    for (size_t i : with_latency) out += latency_chart(axis, ops[i], i, lines.ops.at(ops[i]), width);
    out += "</div>";
    out += errors_chart(axis, ops, lines);
    out += retries_chart(axis, lines);
  }
  out += "</section>\n";
  out += stores_section(run, time_chart(time_axis(run, lines), "", "", ""));
  if (auto spectrum = spectrum_chart(run, ops); !spectrum.empty())
    out += "<section id=\"distribution\"><h2>Latency distribution</h2>" + spectrum + "</section>\n";
  return out;
}



}  // namespace

std::string render_html(const nlohmann::json& run) {
  const auto ops = op_names(run);
  std::string name = text(field(&run, "workload"), "name");
  std::string page = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>tikv-bench: {}</title><style>{}{}</style></head><body>\n",
      esc(name.empty() ? "report" : name), page_style(), chart_style());
  page += header_section(run);
  page += thresholds_section(run);
  page += availability_section(run);
  page += charts_section(run, ops);
  page += events_section(run);
  page += ops_section(run, ops);
  page += errors_section(run);
  page += verify_section(run);
  page += cluster_section(run);
  page += spec_section(run);
  const std::string version = text(&run, "version");
  page += fmt::format("<footer>Generated by tikv-bench{}.</footer>\n<script>{}</script>\n</body></html>\n",
                      version.empty() ? "" : " " + esc(version), chart_script());
  return page;
}

}  // namespace tikvbench::report
