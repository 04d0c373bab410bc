#!/usr/bin/env python3
"""Draw benchmark cost curves as a self-contained SVG line chart (no deps).

Usage:
  bench/plot_svg.py --title TEXT --x-label TEXT --y-label TEXT
                    [--log-x] [--log-y] [--y-from-zero] OUT.svg < data.tsv

Input (stdin): one point per line, tab-separated:
  series<TAB>x<TAB>y
Numbers are plain decimals. Lines starting with '#' are comments; blank lines
are ignored. A y that is missing or '-' skips that point and breaks the line.
Each series becomes one polyline (points sorted by x, in order of first
appearance); every point is a circle whose <title> is the hover tooltip.
Log axes get ticks at powers of 10 (1, 10, 100, 1k, ... 1M); linear axes get
4-6 ticks on 1/2/5 x 10^k steps. --y-from-zero starts a linear y axis at 0.
Exit status 2 (one-line message on stderr) on malformed input or no data.
"""
import argparse
import itertools
import math
import sys
from xml.sax.saxutils import escape

PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
W, H = 640, 360


def die(msg):
    print("plot_svg.py: " + msg, file=sys.stderr)
    sys.exit(2)


def read_data(stream, log_x, log_y):
    series = {}  # name -> list of (x, y or None, x_text, y_text); dicts keep order
    for n, raw in enumerate(stream, 1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        f = line.split("\t")
        if len(f) not in (2, 3) or not f[0].strip():
            die(f"line {n}: expected 'series<TAB>x<TAB>y', got {line!r}")
        xt, yt = f[1].strip(), (f[2].strip() if len(f) == 3 else "")
        try:
            x = float(xt)
            y = None if yt in ("", "-") else float(yt)
        except ValueError:
            die(f"line {n}: not a number in {line!r}")
        if not math.isfinite(x) or (y is not None and not math.isfinite(y)):
            die(f"line {n}: non-finite number in {line!r}")
        if (log_x and x <= 0) or (log_y and y is not None and y <= 0):
            die(f"line {n}: value <= 0 on a log axis in {line!r}")
        series.setdefault(f[0].strip(), []).append((x, y, xt, yt))
    if not any(p[1] is not None for pts in series.values() for p in pts):
        die("no data points on stdin")
    for pts in series.values():
        pts.sort(key=lambda p: p[0])
    return series


def fmt(v):
    """Compact tick label: 0.5, 1.5, 200k, 1.2M, 10M."""
    for div, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:.4g}{suffix}"
    return f"{v:.4g}"


def log_ticks(lo, hi):
    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    if a == b:
        b += 1
    return [10.0 ** k for k in range(a, b + 1)]


def linear_ticks(lo, hi):
    if hi == lo:
        lo, hi = (lo - 1, hi + 1) if lo == 0 else (lo - abs(lo) / 2, hi + abs(hi) / 2)
    k = math.floor(math.log10(hi - lo)) - 1
    while True:  # smallest 1/2/5 x 10^k step giving at most 6 ticks
        for m in (1, 2, 5):
            step = m * 10.0 ** k
            a, b = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
            if b - a <= 5:
                pad = max(0, 3 - (b - a))  # < 4 ticks: pad below (above if data >= 0)
                a, b = (a - pad, b) if a - pad >= 0 or lo < 0 else (a, b + pad)
                return [i * step for i in range(a, b + 1)]
        k += 1


class Axis:
    def __init__(self, values, log, p0, p1, from_zero=False):
        lo, hi = min(values), max(values)
        if from_zero and not log:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        self.ticks = log_ticks(lo, hi) if log else linear_ticks(lo, hi)
        self.f = math.log10 if log else float
        self.lo, self.hi = self.f(self.ticks[0]), self.f(self.ticks[-1])
        self.p0, self.p1 = p0, p1

    def __call__(self, v):
        return self.p0 + (self.f(v) - self.lo) / (self.hi - self.lo) * (self.p1 - self.p0)


def render(series, a):
    names = list(series)
    legend_w = min(210, max(70, int(7.5 * max(len(s) for s in names)) + 42))
    left, right, top, bottom = 70, W - legend_w - 10, 40, H - 48
    pts = [p for s in series.values() for p in s]
    xs = Axis([p[0] for p in pts], a.log_x, left, right)
    ys = Axis([p[1] for p in pts if p[1] is not None], a.log_y, bottom, top,
              a.y_from_zero)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{(left + right) / 2:.1f}" y="22" text-anchor="middle" '
           f'font-size="14" font-weight="bold">{escape(a.title)}</text>']
    for t in xs.ticks:
        x = xs(t)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom + 4}" '
                   f'stroke="#e6e6e6"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 17}" text-anchor="middle" '
                   f'fill="#333">{fmt(t)}</text>')
    for t in ys.ticks:
        y = ys(t)
        out.append(f'<line x1="{left - 4}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" '
                   f'stroke="#e6e6e6"/>')
        out.append(f'<text x="{left - 7}" y="{y + 4:.1f}" text-anchor="end" '
                   f'fill="#333">{fmt(t)}</text>')
    out.append(f'<path d="M{left},{top}V{bottom}H{right}" fill="none" stroke="#555"/>')
    out.append(f'<text x="{(left + right) / 2:.1f}" y="{H - 12}" '
               f'text-anchor="middle">{escape(a.x_label)}</text>')
    cy = (top + bottom) / 2
    out.append(f'<text transform="translate(15,{cy:.1f}) rotate(-90)" '
               f'text-anchor="middle">{escape(a.y_label)}</text>')
    for i, name in enumerate(names):
        col = PALETTE[i % len(PALETTE)]
        for gap, seg in itertools.groupby(series[name], key=lambda p: p[1] is None):
            seg = list(seg)  # a run of points without a gap ("-" y) in between
            if not gap and len(seg) > 1:
                d = " ".join(f"{xs(p[0]):.1f},{ys(p[1]):.1f}" for p in seg)
                out.append(f'<polyline points="{d}" fill="none" stroke="{col}" '
                           f'stroke-width="2" stroke-linejoin="round"/>')
        for x, y, xt, yt in series[name]:
            if y is not None:
                tip = escape(f"{name}: {xt}, {yt}")
                out.append(f'<circle cx="{xs(x):.1f}" cy="{ys(y):.1f}" r="3" '
                           f'fill="{col}"><title>{tip}</title></circle>')
        ly = top + 8 + 20 * i
        out.append(f'<line x1="{right + 16}" y1="{ly}" x2="{right + 36}" y2="{ly}" '
                   f'stroke="{col}" stroke-width="2"/>')
        out.append(f'<circle cx="{right + 26}" cy="{ly}" r="3" fill="{col}"/>')
        out.append(f'<text x="{right + 42}" y="{ly + 4}" fill="{col}">'
                   f'{escape(name if len(name) <= 22 else name[:21] + "…")}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description="TSV (series, x, y) on stdin -> SVG line chart")
    ap.add_argument("--title", required=True)
    ap.add_argument("--x-label", required=True)
    ap.add_argument("--y-label", required=True)
    ap.add_argument("--log-x", action="store_true")
    ap.add_argument("--log-y", action="store_true")
    ap.add_argument("--y-from-zero", action="store_true")
    ap.add_argument("out", metavar="OUT.svg")
    a = ap.parse_args()
    svg = render(read_data(sys.stdin, a.log_x, a.log_y), a)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(svg)


if __name__ == "__main__":
    main()
