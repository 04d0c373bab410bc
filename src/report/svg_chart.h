// Line charts drawn as inline SVG for the HTML report: linear or log axes
// with readable tick labels (seconds, µs/ms/s, ops/s with k/M, HdrHistogram's
// "nines" percentile scale), shaded x bands with names (the run's phases),
// lines with gaps, and a legend. The output references nothing outside the
// page: no scripts, fonts, styles or images. chart_style() and
// chart_script() are the page-level CSS and the optional hover script that
// reads the data-* attributes every chart carries.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tikvbench::report {

// What a number on an axis means; picks how ticks and hover values read.
enum class AxisUnit {
  kSeconds,  // time since the start: "30s", "5m", "2h"
  kMicros,   // latency in microseconds: "850µs", "1.2ms", "2s"
  kRate,     // per second: "950", "12k", "1.5M"
  kCount,    // plain count with k/M
  kNines,    // -log10(1 - p/100): 0 -> "0%", 1 -> "90%", 2 -> "99%", ...
};

enum class AxisScale { kLinear, kLog };

// One point; a NaN y breaks the line there (no data).
struct Point {
  double x = 0;
  double y = 0;
};

struct Series {
  std::string name;           // legend and hover text (escaped when drawn)
  std::string color;          // a CSS colour chosen by our code, never by input
  std::vector<Point> points;  // sorted by x
  bool dashed = false;
  double width = 1.6;
};

// A shaded range of x with a name drawn at its top, e.g. a phase.
struct Band {
  double from = 0;
  double to = 0;
  std::string label;     // escaped when drawn
  bool hatched = false;  // drawn differently (warm-up)
};

// A moment marked on the chart (an event): a dashed vertical line with a
// flag at its top; hovering it shows `label`.
struct Marker {
  double x = 0;
  std::string label;  // escaped when drawn
};

// A range of x shaded red under the lines (a window that broke the SLO);
// hovering it shows `label`.
struct Alert {
  double from = 0;
  double to = 0;
  std::string label;  // escaped when drawn
};

struct ChartSpec {
  std::string id;         // element id; must match [a-z0-9_-]+ and be unique in the page
  std::string css_class;  // added to "chart", e.g. "throughput-chart"
  std::string title;      // escaped when drawn
  AxisUnit x_unit = AxisUnit::kSeconds;
  AxisUnit y_unit = AxisUnit::kRate;
  AxisScale y_scale = AxisScale::kLinear;
  std::string x_label;
  std::string y_label;
  std::optional<std::pair<double, double>> x_domain;  // from the data when unset
  std::vector<Series> series;
  std::vector<Band> bands;
  std::vector<Alert> alerts;
  std::vector<Marker> markers;
  std::string empty_note;  // shown inside the plot when no series has a point
  int width = 1300;
  int height = 300;
};

// Returns a <figure class="chart CSS_CLASS" id="ID"> with a caption and an
// <svg>. Never throws for odd data: non-finite points are gaps, values <= 0
// on a log axis are clamped to its bottom, an empty chart draws its axes.
std::string render_chart(const ChartSpec& chart);

enum class Reduce { kMean, kMax };

// At most `max_points` points (at least 1) made of runs of consecutive
// points: kMax keeps each run's highest point (peaks survive), kMean its
// mean. A run of gaps stays a gap. Returns `points` unchanged when short.
std::vector<Point> downsample(const std::vector<Point>& points, size_t max_points, Reduce reduce);

// Escapes & < > " ' for text and attribute values.
std::string html_escape(std::string_view text);

// A value as an axis of `unit` labels it: "1.5ms", "12k", "30s", "99.9%".
std::string format_value(double value, AxisUnit unit);

}  // namespace tikvbench::report
