#include "report/page_assets.h"

namespace tikvbench::report {

std::string_view page_style() {
  return R"css(
body { font: 14px system-ui, sans-serif; color: #222; max-width: 1360px; margin: 0 auto; padding: 16px 20px 40px; }
h1 { font-size: 24px; margin: 4px 0; } h2 { font-size: 19px; margin: 28px 0 10px; border-bottom: 1px solid #ddd; }
h3 { font-size: 15px; margin: 10px 0 6px; }
.source { color: #666; margin: 0 0 10px; }
.facts { display: flex; flex-wrap: wrap; gap: 10px; }
.fact { border: 1px solid #ddd; border-radius: 6px; padding: 6px 12px; min-width: 110px; background: #fafafa; }
.fact .label { color: #666; font-size: 12px; } .fact .value { font-size: 18px; font-weight: 600; }
table { border-collapse: collapse; margin: 4px 0; }
th, td { border: 1px solid #ddd; padding: 4px 9px; text-align: right; }
th { background: #f4f4f4; } td:first-child, th:first-child, .kv td, .kind { text-align: left; }
.ops-table tr.intended td { background: #fbfbfb; color: #444; }
tr.pass td.verdict, span.pass { color: #137333; background: #e6f4ea; font-weight: 600; }
tr.fail td.verdict, span.fail { color: #b3261e; background: #fce8e6; font-weight: 600; }
tr.unknown td.verdict { color: #666; }
h2 span.pass, h2 span.fail { font-size: 13px; padding: 2px 8px; border-radius: 10px; margin-left: 8px; }
.bad, .fact.bad .value { color: #b3261e; font-weight: 600; }
.latency-grid { display: flex; flex-wrap: wrap; column-gap: 12px; }
.row { display: flex; flex-wrap: wrap; gap: 40px; }
.note { color: #666; font-size: 12px; }
pre { background: #f6f8fa; border: 1px solid #ddd; padding: 10px; overflow: auto; max-height: 640px; }
footer { margin-top: 30px; color: #888; font-size: 12px; }
)css";
}

std::string_view chart_style() {
  return R"css(
figure.chart { margin: 0 0 18px; }
figure.chart figcaption { font-weight: 600; margin: 0 0 2px 4px; }
figure.chart svg { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; background: #fff; }
figure.chart path.series { fill: none; stroke-linejoin: round; stroke-linecap: round; }
figure.chart .grid { stroke: #e3e3e3; }
figure.chart .grid.x { stroke: #f0f0f0; }
figure.chart .frame { fill: none; stroke: #999; }
figure.chart .tick { fill: #444; }
figure.chart .tick.y { text-anchor: end; }
figure.chart .tick.x, figure.chart .axis-label, figure.chart .empty-note { text-anchor: middle; }
figure.chart .axis-label { fill: #333; }
figure.chart .empty-note { fill: #888; font-style: italic; }
figure.chart .legend text { fill: #222; }
figure.chart .band-label { fill: #333; font-size: 11px; }
figure.chart .band-edge { stroke: #8aa4c8; stroke-dasharray: 3 3; }
figure.chart .guide { stroke: #555; stroke-dasharray: 2 2; pointer-events: none; }
.chart-tip { position: absolute; display: none; pointer-events: none; background: rgba(255,255,255,.95);
  border: 1px solid #999; border-radius: 4px; padding: 4px 8px; font: 12px system-ui, sans-serif;
  box-shadow: 0 1px 4px rgba(0,0,0,.2); white-space: nowrap; z-index: 10; }
.chart-tip .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 5px; border-radius: 2px; }
)css";
}

std::string_view chart_script() {
  return R"js(
(function () {
  "use strict";
  function three(v) {
    if (v === 0 || !isFinite(v)) return v;
    var f = Math.pow(10, Math.floor(Math.log10(Math.abs(v))) - 2);
    return Math.round(v / f) * f;
  }
  function g(v) { return String(parseFloat(three(v).toPrecision(3))); }
  function fmt(v, unit) {
    var a = Math.abs(v);
    if (!isFinite(v)) return "-";
    if (unit === "s")
      return v < 600 ? (Math.round(v * 10) / 10) + "s" : Math.floor(v / 60) + "m" + Math.round(v % 60) + "s";
    if (unit === "us") return a < 1e3 ? g(v) + "\u00b5s" : a < 1e6 ? g(v / 1e3) + "ms" : g(v / 1e6) + "s";
    if (unit === "nines") return (100 - 100 * Math.pow(10, -v)).toFixed(Math.max(1, Math.ceil(v) - 1)) + "%";
    return a >= 1e9 ? g(v / 1e9) + "G" : a >= 1e6 ? g(v / 1e6) + "M" : a >= 1e3 ? g(v / 1e3) + "k" : g(v);
  }
  function num(svg, name) { return parseFloat(svg.getAttribute("data-" + name)); }
  var tip = document.createElement("div");
  tip.className = "chart-tip";
  document.body.appendChild(tip);

  function setup(svg) {
    var box = { left: num(svg, "left"), right: num(svg, "right"), top: num(svg, "top"), bottom: num(svg, "bottom") };
    var x0 = num(svg, "x0"), x1 = num(svg, "x1"), y0 = num(svg, "y0"), y1 = num(svg, "y1");
    var log = svg.getAttribute("data-ylog") === "1";
    var xunit = svg.getAttribute("data-xunit"), yunit = svg.getAttribute("data-yunit");
    var series = Array.prototype.map.call(svg.querySelectorAll("path.series"), function (p) {
      var n = (p.getAttribute("d").match(/-?[0-9.]+/g) || []).map(Number), pts = [];
      for (var i = 0; i + 1 < n.length; i += 2) pts.push([n[i], n[i + 1]]);
      return { name: p.getAttribute("data-name"), color: p.getAttribute("stroke"), pts: pts };
    });
    var guide = document.createElementNS(svg.namespaceURI, "line");
    guide.setAttribute("class", "guide");
    guide.setAttribute("y1", box.top);
    guide.setAttribute("y2", box.bottom);
    guide.style.display = "none";
    svg.appendChild(guide);
    var width = svg.viewBox.baseVal.width;
    function yvalue(py) {
      var f = (box.bottom - py) / (box.bottom - box.top);
      return log ? Math.pow(10, Math.log10(y0) + f * (Math.log10(y1) - Math.log10(y0))) : y0 + f * (y1 - y0);
    }
    function nearest(pts, px) {
      var lo = 0, hi = pts.length - 1;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (pts[mid][0] < px) lo = mid + 1; else hi = mid; }
      if (lo > 0 && Math.abs(pts[lo - 1][0] - px) < Math.abs(pts[lo][0] - px)) lo -= 1;
      return pts[lo];
    }
    function hide() { tip.style.display = "none"; guide.style.display = "none"; }
    svg.addEventListener("mouseleave", hide);
    svg.addEventListener("mousemove", function (e) {
      var r = svg.getBoundingClientRect();
      var px = (e.clientX - r.left) * width / r.width;
      if (px < box.left || px > box.right) { hide(); return; }
      guide.setAttribute("x1", px);
      guide.setAttribute("x2", px);
      guide.style.display = "";
      tip.textContent = "";
      var head = document.createElement("div");
      head.textContent = fmt(x0 + (px - box.left) / (box.right - box.left) * (x1 - x0), xunit);
      head.style.fontWeight = "600";
      tip.appendChild(head);
      series.forEach(function (s) {
        if (!s.pts.length) return;
        var p = nearest(s.pts, px);
        if (Math.abs(p[0] - px) > 24) return;
        var row = document.createElement("div"), sw = document.createElement("span");
        sw.className = "swatch";
        sw.style.background = s.color;
        row.appendChild(sw);
        row.appendChild(document.createTextNode(s.name + ": " + fmt(yvalue(p[1]), yunit)));
        tip.appendChild(row);
      });
      tip.style.display = "block";
      var left = e.pageX + 14;
      if (left + tip.offsetWidth > document.documentElement.clientWidth + window.scrollX)
        left = e.pageX - 14 - tip.offsetWidth;
      tip.style.left = left + "px";
      tip.style.top = (e.pageY + 14) + "px";
    });
    return { svg: svg, box: box, width: width };
  }

  var charts = Array.prototype.map.call(document.querySelectorAll("figure.chart svg"), setup);
  if (location.hash === "#selftest") {
    var ok = 0;
    charts.forEach(function (c) {
      var r = c.svg.getBoundingClientRect(), k = r.width / c.width;
      c.svg.dispatchEvent(new MouseEvent("mousemove", { bubbles: true,
        clientX: r.left + k * (c.box.left + c.box.right) / 2, clientY: r.top + k * (c.box.top + c.box.bottom) / 2 }));
      if (tip.style.display === "block" && tip.childNodes.length > 0) ok += 1;
      tip.style.display = "none";
    });
    document.body.setAttribute("data-hover-ok", ok + "/" + charts.length);
  }
  document.body.setAttribute("data-report-ready", "1");
})();
)js";
}

}  // namespace tikvbench::report
