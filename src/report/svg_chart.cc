#include "report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace tikvbench::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kLeft = 72;
constexpr int kRight = 36;
constexpr int kBottom = 44;
constexpr int kLegendRow = 18;
constexpr int kBandStrip = 16;
constexpr double kCharWidth = 6.6;  // average width of a 12px sans-serif character

struct Tick {
  double value;
  std::string label;
};

// Maps a domain onto pixels; `log` maps log10 of the value.
struct Scale {
  double d0, d1, r0, r1;
  bool log = false;

  double operator()(double v) const {
    if (log) {
      v = std::log10(std::max(v, d0));
      return r0 + (v - std::log10(d0)) / (std::log10(d1) - std::log10(d0)) * (r1 - r0);
    }
    return r0 + (v - d0) / (d1 - d0) * (r1 - r0);
  }
};

// Rounds to three significant digits so labels never read "1e+03".
double three_digits(double v) {
  if (v == 0 || !std::isfinite(v)) return v;
  const double f = std::pow(10.0, std::floor(std::log10(std::fabs(v))) - 2);
  return std::round(v / f) * f;
}

std::string short_number(double v) {
  v = three_digits(v);
  const double a = std::fabs(v);
  if (a >= 1e9) return fmt::format("{:g}G", three_digits(v / 1e9));
  if (a >= 1e6) return fmt::format("{:g}M", three_digits(v / 1e6));
  if (a >= 1e3) return fmt::format("{:g}k", three_digits(v / 1e3));
  return fmt::format("{:g}", v);
}

std::string format_seconds(double v) {
  if (v < 600) return fmt::format("{:g}s", std::round(v * 10) / 10);
  const auto total = static_cast<long long>(std::llround(v));
  const long long h = total / 3600, m = total % 3600 / 60, s = total % 60;
  std::string out = h > 0 ? fmt::format("{}h", h) : "";
  if (m > 0 || (h == 0 && s > 0)) out += fmt::format("{}m", m);
  if (s > 0 && h == 0) out += fmt::format("{}s", s);
  return out.empty() ? "0s" : out;
}

std::string_view unit_name(AxisUnit unit) {
  switch (unit) {
    case AxisUnit::kSeconds:
      return "s";
    case AxisUnit::kMicros:
      return "us";
    case AxisUnit::kRate:
      return "rate";
    case AxisUnit::kCount:
      return "count";
    case AxisUnit::kNines:
      return "nines";
  }
  return "count";
}

// A step of 1, 2 or 5 times a power of ten (or a clock step for time) that
// cuts `range` into at most about `target` pieces.
double nice_step(double range, AxisUnit unit, int target) {
  if (!(range > 0)) return 1;
  const double raw = range / target;
  if (unit == AxisUnit::kSeconds && raw >= 10) {
    for (double s : {10.0, 15.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0,
                     43200.0, 86400.0})
      if (s >= raw) return s;
    return std::ceil(raw / 86400.0) * 86400.0;
  }
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

std::vector<Tick> linear_ticks(double lo, double hi, AxisUnit unit, int target) {
  std::vector<Tick> ticks;
  const double step = unit == AxisUnit::kNines ? 1 : nice_step(hi - lo, unit, target);
  for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9 && ticks.size() < 64; v += step) {
    const double clean = std::fabs(v) < step * 1e-9 ? 0 : v;
    ticks.push_back({clean, format_value(clean, unit)});
  }
  return ticks;
}

std::vector<Tick> log_ticks(double lo, double hi, AxisUnit unit) {
  std::vector<Tick> ticks;
  const int first = static_cast<int>(std::lround(std::log10(lo)));
  const int last = static_cast<int>(std::lround(std::log10(hi)));
  const bool few = last - first <= 2;
  for (int e = first; e <= last; ++e) {
    const double p = std::pow(10.0, e);
    ticks.push_back({p, format_value(p, unit)});
    if (few && e < last)
      for (double m : {2.0, 5.0}) ticks.push_back({m * p, format_value(m * p, unit)});
  }
  return ticks;
}

bool finite(const Point& p) { return std::isfinite(p.x) && std::isfinite(p.y); }

std::pair<double, double> x_domain(const ChartSpec& chart) {
  if (chart.x_domain && chart.x_domain->second > chart.x_domain->first) return *chart.x_domain;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& s : chart.series)
    for (const auto& p : s.points)
      if (std::isfinite(p.x)) lo = std::min(lo, p.x), hi = std::max(hi, p.x);
  for (const auto& b : chart.bands) lo = std::min(lo, b.from), hi = std::max(hi, b.to);
  if (!(hi > lo)) return {0, std::isfinite(lo) && lo > 0 ? lo * 2 : 1};
  if (chart.x_unit == AxisUnit::kSeconds) lo = std::min(lo, 0.0);
  if (chart.x_unit == AxisUnit::kNines) lo = 0, hi = std::max(1.0, std::ceil(hi - 1e-9));
  return {lo, hi};
}

std::pair<double, double> y_domain(const ChartSpec& chart) {
  const bool log = chart.y_scale == AxisScale::kLog;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& s : chart.series)
    for (const auto& p : s.points)
      if (finite(p) && (!log || p.y > 0)) lo = std::min(lo, p.y), hi = std::max(hi, p.y);
  if (log) {
    if (!(hi >= lo)) return {1, 10};
    lo = std::pow(10.0, std::floor(std::log10(lo)));
    hi = std::pow(10.0, std::ceil(std::log10(hi)));
    return {lo, hi > lo ? hi : lo * 10};
  }
  if (!(hi >= lo) || hi <= 0) return {0, 1};
  const double step = nice_step(hi, chart.y_unit, 5);
  return {std::min(0.0, lo), std::ceil(hi / step - 1e-9) * step};
}

// Cuts a UTF-8 label to about `width` pixels without splitting a character.
std::string fit_label(const std::string& label, double width) {
  const auto max_chars = static_cast<size_t>(std::max(0.0, width / kCharWidth));
  if (label.size() <= max_chars) return label;
  if (max_chars < 4) return "";
  size_t cut = max_chars - 1;
  while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;
  return label.substr(0, cut) + "\u2026";
}

struct LegendItem {
  const Series* series;
  double x;
  int row;
};

std::vector<LegendItem> legend_layout(const ChartSpec& chart, double width) {
  std::vector<LegendItem> items;
  double x = 0;
  int row = 0;
  for (const auto& s : chart.series) {
    const double w = 34 + kCharWidth * static_cast<double>(s.name.size()) + 14;
    if (x > 0 && x + w > width) x = 0, ++row;
    items.push_back({&s, x, row});
    x += w;
  }
  return items;
}

std::string draw_legend(const std::vector<LegendItem>& items, double left, double top) {
  std::string out = "<g class=\"legend\">";
  for (const auto& item : items) {
    const double x = left + item.x, y = top + item.row * kLegendRow + 10;
    out += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"{:.1f}\"{}/>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>",
        x, y - 4, x + 28, y - 4, item.series->color, std::max(2.0, item.series->width),
        item.series->dashed ? " stroke-dasharray=\"6 3\"" : "", x + 34, y, html_escape(item.series->name));
  }
  return out + "</g>";
}

std::string draw_bands(const ChartSpec& chart, const Scale& x, double top, double bottom) {
  std::string out = fmt::format(
      "<defs><pattern id=\"{}-hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
      "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#eeeeee\"/>"
      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#cfcfcf\" stroke-width=\"3\"/></pattern></defs><g "
      "class=\"bands\">",
      chart.id);
  int index = 0;
  for (const auto& b : chart.bands) {
    const double x0 = std::clamp(x(b.from), x.r0, x.r1), x1 = std::clamp(x(b.to), x.r0, x.r1);
    if (!(x1 > x0)) continue;
    const std::string fill =
        b.hatched ? fmt::format("url(#{}-hatch)", chart.id) : (index++ % 2 == 0 ? "#eaf1fb" : "#f3f0fa");
    out += fmt::format(
        "<g class=\"band{}\"><title>{}</title><rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
        "fill=\"{}\"/><rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"/>",
        b.hatched ? " warmup" : "", html_escape(b.label), x0, top, x1 - x0, bottom - top, fill, x0, top - kBandStrip,
        x1 - x0, kBandStrip - 2, b.hatched ? "#dddddd" : "#c9d9f0");
    if (x0 > x.r0 + 0.5)
      out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" class=\"band-edge\"/>", x0,
                         top - kBandStrip, bottom);
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"band-label\">{}</text></g>", x0 + 3, top - 5,
                       html_escape(fit_label(b.label, x1 - x0 - 6)));
  }
  return out + "</g>";
}

std::string draw_alerts(const ChartSpec& chart, const Scale& x, double top, double bottom) {
  std::string out = "<g class=\"alerts\">";
  for (const auto& a : chart.alerts) {
    const double x0 = std::clamp(x(a.from), x.r0, x.r1), x1 = std::clamp(x(a.to), x.r0, x.r1);
    if (!(x1 > x0)) continue;
    out += fmt::format(
        "<rect class=\"slo-broken\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
        "fill=\"#f8d0d0\" fill-opacity=\"0.7\"><title>{}</title></rect>",
        x0, top, std::max(1.0, x1 - x0), bottom - top, html_escape(a.label));
  }
  return out + "</g>";
}

std::string draw_markers(const ChartSpec& chart, const Scale& x, double top, double bottom) {
  std::string out = "<g class=\"markers\">";
  for (const auto& m : chart.markers) {
    const double at = x(m.x);
    if (!(at >= x.r0 && at <= x.r1)) continue;
    out += fmt::format(
        "<g class=\"marker\"><title>{0}</title><line x1=\"{1:.1f}\" y1=\"{2:.1f}\" x2=\"{1:.1f}\" y2=\"{3:.1f}\" "
        "stroke=\"#d95f02\" stroke-width=\"1\" stroke-dasharray=\"3 2\"/><path d=\"M{1:.1f} {2:.1f}l-4 -7h8z\" "
        "fill=\"#d95f02\"/><rect x=\"{4:.1f}\" y=\"{5:.1f}\" width=\"8\" height=\"{6:.1f}\" fill=\"transparent\"/></g>",
        html_escape(m.label), at, top, bottom, at - 4, top - 7, bottom - top + 7);
  }
  return out + "</g>";
}

std::string draw_axes(const ChartSpec& chart, const Scale& x, const Scale& y, const std::vector<Tick>& xt,
                      const std::vector<Tick>& yt) {
  std::string out = "<g class=\"axes\">";
  for (const auto& t : yt) {
    const double py = y(t.value);
    out += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick y\">{}</text>",
        x.r0, py, x.r1, py, x.r0 - 6, py + 4, html_escape(t.label));
  }
  for (const auto& t : xt) {
    const double px = x(t.value);
    out += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid x\"/>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick x\">{}</text>",
        px, y.r1, px, y.r0, px, y.r0 + 16, html_escape(t.label));
  }
  out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" class=\"frame\"/>", x.r0, y.r1,
                     x.r1 - x.r0, y.r0 - y.r1);
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"axis-label x\">{}</text>", (x.r0 + x.r1) / 2, y.r0 + 36,
                     html_escape(chart.x_label));
  out += fmt::format("<text transform=\"translate(16 {:.1f}) rotate(-90)\" class=\"axis-label y\">{}</text></g>",
                     (y.r0 + y.r1) / 2, html_escape(chart.y_label));
  return out;
}

// A path with one "M" per unbroken run; empty when nothing is drawable. A
// run of one point is drawn as a zero-length segment, which the round line
// cap turns into a dot.
std::string path_data(const Series& s, const Scale& x, const Scale& y) {
  std::string d, last;
  size_t run = 0;
  const auto end_run = [&] {
    if (run == 1) d += "L" + last;
    run = 0;
  };
  for (const auto& p : s.points) {
    if (!finite(p)) {
      end_run();
      continue;
    }
    last = fmt::format("{:.1f},{:.1f}", x(p.x), std::clamp(y(p.y), y.r1, y.r0));
    d += (run++ == 0 ? "M" : "L") + last;
  }
  end_run();
  return d;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string format_value(double value, AxisUnit unit) {
  if (!std::isfinite(value)) return "-";
  switch (unit) {
    case AxisUnit::kSeconds:
      return format_seconds(value);
    case AxisUnit::kMicros: {
      const double v = three_digits(value);
      if (std::fabs(v) < 1e3) return fmt::format("{:g}\u00b5s", v);
      if (std::fabs(v) < 1e6) return fmt::format("{:g}ms", three_digits(v / 1e3));
      return fmt::format("{:g}s", three_digits(v / 1e6));
    }
    case AxisUnit::kRate:
    case AxisUnit::kCount:
      return short_number(value);
    case AxisUnit::kNines: {
      const double p = 100 - 100 * std::pow(10.0, -value);
      const bool whole = std::fabs(value - std::round(value)) < 1e-9;
      const int decimals = whole ? std::max(0, static_cast<int>(std::lround(value)) - 2)
                                 : std::max(1, static_cast<int>(std::ceil(value)) - 1);
      return fmt::format("{:.{}f}%", p, decimals);
    }
  }
  return fmt::format("{:g}", value);
}

std::vector<Point> downsample(const std::vector<Point>& points, size_t max_points, Reduce reduce) {
  max_points = std::max<size_t>(max_points, 1);
  if (points.size() <= max_points) return points;
  const size_t run = (points.size() + max_points - 1) / max_points;
  std::vector<Point> out;
  out.reserve(max_points);
  for (size_t begin = 0; begin < points.size(); begin += run) {
    const size_t end = std::min(points.size(), begin + run);
    Point best{points[end - 1].x, kNaN};
    double sum_x = 0, sum_y = 0;
    size_t n = 0;
    for (size_t i = begin; i < end; ++i) {
      if (!finite(points[i])) continue;
      if (!(points[i].y <= best.y)) best = points[i];  // NaN best: take the first finite
      sum_x += points[i].x, sum_y += points[i].y, ++n;
    }
    if (reduce == Reduce::kMean && n > 0) best = {sum_x / static_cast<double>(n), sum_y / static_cast<double>(n)};
    out.push_back(best);
  }
  return out;
}

std::string render_chart(const ChartSpec& chart) {
  const double width = chart.width, height = chart.height;
  const double plot_width = width - kLeft - kRight;
  const auto legend = legend_layout(chart, plot_width);
  const int legend_rows = legend.empty() ? 0 : legend.back().row + 1;
  const double top = 8 + legend_rows * kLegendRow + (chart.bands.empty() ? 6 : kBandStrip + 4);
  const auto [x0, x1] = x_domain(chart);
  const auto [y0, y1] = y_domain(chart);
  const bool log = chart.y_scale == AxisScale::kLog;
  const Scale x{x0, x1, kLeft, width - kRight};
  const Scale y{y0, y1, height - kBottom, top, log};
  const auto x_ticks = linear_ticks(x0, x1, chart.x_unit, std::max(2, static_cast<int>(plot_width / 90)));
  const auto y_ticks = log ? log_ticks(y0, y1, chart.y_unit) : linear_ticks(y0, y1, chart.y_unit, 5);

  std::string out = fmt::format(
      "<figure class=\"chart {}\" id=\"{}\"><figcaption>{}</figcaption>"
      "<svg viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "data-x0=\"{}\" data-x1=\"{}\" data-y0=\"{}\" data-y1=\"{}\" data-ylog=\"{}\" data-xunit=\"{}\" "
      "data-yunit=\"{}\" data-left=\"{}\" data-right=\"{}\" data-top=\"{}\" data-bottom=\"{}\">",
      html_escape(chart.css_class), html_escape(chart.id), html_escape(chart.title), width, height, width, height, x0,
      x1, y0, y1, log ? 1 : 0, unit_name(chart.x_unit), unit_name(chart.y_unit), x.r0, x.r1, y.r1, y.r0);
  out += fmt::format(
      "<defs><clipPath id=\"{}-clip\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>", chart.id,
      x.r0 - 4, y.r1 - 4, x.r1 - x.r0 + 8, y.r0 - y.r1 + 8);
  out += draw_legend(legend, kLeft, 8);
  if (!chart.bands.empty()) out += draw_bands(chart, x, y.r1, y.r0);
  if (!chart.alerts.empty()) out += draw_alerts(chart, x, y.r1, y.r0);
  out += draw_axes(chart, x, y, x_ticks, y_ticks);
  out += fmt::format("<g class=\"lines\" clip-path=\"url(#{}-clip)\">", chart.id);
  bool drawn = false;
  for (const auto& s : chart.series) {
    const auto d = path_data(s, x, y);
    if (d.empty()) continue;
    drawn = true;
    out += fmt::format("<path class=\"series\" data-name=\"{}\" d=\"{}\" stroke=\"{}\" stroke-width=\"{:.1f}\"{}/>",
                       html_escape(s.name), d, s.color, s.width, s.dashed ? " stroke-dasharray=\"6 3\"" : "");
  }
  out += "</g>";
  if (!chart.markers.empty()) out += draw_markers(chart, x, y.r1, y.r0);
  if (!drawn)
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"empty-note\">{}</text>", (x.r0 + x.r1) / 2,
                       (y.r0 + y.r1) / 2, html_escape(chart.empty_note.empty() ? "no data" : chart.empty_note));
  return out + "</svg></figure>\n";
}

}  // namespace tikvbench::report
