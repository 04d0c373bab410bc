#include "report/html_cluster_sections.h"

#include <array>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "report/json_field.h"
#include "report/run_timelines.h"

namespace tikvbench::report {
namespace {

using nlohmann::json;

constexpr size_t kMaxStorePoints = 1000;
constexpr size_t kMaxEventRows = 1000;
constexpr std::array<std::string_view, 8> kStoreOpColors = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                                             "#9467bd", "#8c564b", "#e377c2", "#17becf"};

std::string micros_cell(double us) { return std::isfinite(us) ? format_value(us, AxisUnit::kMicros) : "-"; }

std::string count_cell(double n) { return std::isfinite(n) ? fmt::format("{:.0f}", n) : "-"; }

// An element id from a store id: digits only, or the characters made safe.
std::string store_chart_id(const std::string& store) {
  std::string out = "store-";
  for (char c : store) out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  return out;
}

}  // namespace

std::string stores_section(const json& run, const ChartSpec& time_base) {
  const json* stores = field(&run, "stores");
  if (stores == nullptr || !stores->is_object() || stores->empty()) return "";
  std::string rows, charts;
  for (const auto& [id, store] : stores->items()) {
    const std::string address = text(&store, "address");
    std::string retries;
    if (const json* by_kind = field(&store, "retries_by_kind"); by_kind != nullptr && by_kind->is_object()) {
      for (const auto& [kind, n] : by_kind->items()) {
        retries += fmt::format("{}{} {}", retries.empty() ? "" : ", ", html_escape(kind), count_cell(number(&n)));
      }
    }
    const json empty = json::object();
    const json* ops = field(&store, "ops");
    if (ops == nullptr || !ops->is_object()) ops = &empty;
    bool first = true;
    for (const auto& [op, figures] : ops->items()) {
      const json* latency = field(&figures, "intended_latency_us");
      const double count = number(&figures, "count"), errors = number(&figures, "errors");
      const double rate = number(&figures, "ops_per_sec");  // as the JSON computed it
      rows += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td>{}</td></tr>",
          first ? html_escape(id) : "", first ? html_escape(address) : "", html_escape(op), count_cell(count),
          count_cell(errors),
          std::isfinite(rate) ? fmt::format("{:.1f}", rate) : "-",
          micros_cell(number(latency, "p50")), micros_cell(number(latency, "p99")), micros_cell(number(latency, "max")),
          first ? retries : "");
      first = false;
    }
    if (first) {
      rows += fmt::format("<tr><td>{}</td><td>{}</td><td colspan=\"7\">no operation</td><td>{}</td></tr>",
                          html_escape(id), html_escape(address), retries);
    }
    ChartSpec chart = time_base;
    chart.series.clear();
    chart.id = store_chart_id(id);
    chart.css_class = "store-chart";
    chart.title = fmt::format("store {}{} p99 latency from the intended start, per interval", id,
                              address.empty() ? "" : " (" + address + ")");
    chart.y_unit = AxisUnit::kMicros;
    chart.y_scale = AxisScale::kLog;
    chart.y_label = "p99";
    chart.width = 650;
    chart.height = 240;
    size_t color = 0;
    for (auto& [op, points] : store_p99(run, id)) {
      chart.series.push_back({op, std::string(kStoreOpColors[color++ % kStoreOpColors.size()]),
                              downsample(points, kMaxStorePoints, Reduce::kMax)});
    }
    chart.empty_note = "no interval data for this store";
    charts += render_chart(chart);
  }
  return fmt::format(
      "<section id=\"stores\"><h2>TiKV stores</h2><table class=\"stores-table\"><tr><th>store</th><th>address</th>"
      "<th>op</th><th>count</th><th>errors</th><th>ops/s</th><th>i.p50</th><th>i.p99</th><th>i.max</th>"
      "<th>retries</th></tr>{}</table><p class=\"note\">An operation counts for the store of its last attempt; a "
      "batch split over stores counts once for each store it went to. Latency from the intended start, of "
      "successes.</p><div class=\"latency-grid\">{}</div></section>\n",
      rows, charts);
}

std::string events_section(const json& run) {
  const json& events = items(field(&run, "events"));
  if (events.empty()) return "";
  std::string rows;
  size_t shown = 0;
  for (const auto& event : events) {
    if (shown++ == kMaxEventRows) break;
    const double store = number(&event, "store");
    rows += fmt::format("<tr><td class=\"num\">{:.3f}s</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                        number(&event, "t"), html_escape(text(&event, "kind")),
                        std::isfinite(store) ? fmt::format("{:.0f}", store) : "", html_escape(text(&event, "detail")),
                        count_cell(number(&event, "count")));
  }
  const double dropped = number(&run, "events_dropped");
  std::string note;
  if (events.size() > kMaxEventRows) {
    note += fmt::format(" The first {} of {} are listed and marked.", kMaxEventRows, events.size());
  }
  if (dropped > 0) note += fmt::format(" {:.0f} more were past the run's bound of events and not kept.", dropped);
  return fmt::format(
      "<section id=\"events\"><h2>Events</h2><table class=\"events-table\"><tr><th>t</th><th>kind</th><th>store</th>"
      "<th>detail</th><th>count</th></tr>{}</table><p class=\"note\">Marked on every time chart (hover a marker). "
      "Repeats within a second are one event with a count.{}</p></section>\n",
      rows, note);
}

std::string availability_section(const json& run) {
  const json* a = field(&run, "availability");
  if (a == nullptr || !a->is_object()) return "";
  std::string slo;
  for (const auto& expr : items(field(a, "slo"))) slo += (slo.empty() ? "" : ", ") + html_escape(text(&expr));
  std::string worst = "-";
  if (const json* w = field(a, "worst_window"); w != nullptr && w->is_object()) {
    std::string broke;
    for (const auto& reason : items(field(w, "broke"))) broke += (broke.empty() ? "" : "; ") + html_escape(text(&reason));
    worst = fmt::format("{:.3f}s to {:.3f}s: {} ok, {} failed{}", number(w, "start_s"), number(w, "end_s"),
                        count_cell(number(w, "count")), count_cell(number(w, "errors")),
                        broke.empty() ? "" : "; " + broke);
  }
  return fmt::format(
      "<section id=\"availability\"><h2>Availability</h2><table class=\"kv\">"
      "<tr><th>windows</th><td>{} of {}s</td></tr><tr><th>SLO</th><td>{}</td></tr>"
      "<tr><th>broken</th><td>{}</td></tr><tr><th>availability</th><td>{:.3f}%</td></tr>"
      "<tr><th>longest stretch without a success</th><td>{:.3f}s from {:.3f}s</td></tr>"
      "<tr><th>worst window</th><td>{}</td></tr></table><p class=\"note\">A window breaks the SLO when a threshold "
      "of it fails, or when no operation succeeded in it; broken windows are shaded red on the time charts."
      "</p></section>\n",
      count_cell(number(a, "windows")), number(a, "window_s"), slo.empty() ? "none (a success in each window)" : slo,
      count_cell(number(a, "broken")), number(a, "availability_pct"), number(a, "longest_gap_s"),
      number(a, "longest_gap_start_s"), worst);
}

}  // namespace tikvbench::report
