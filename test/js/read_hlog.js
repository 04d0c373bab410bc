// Reads an HdrHistogram interval log with hdr-histogram-js (an independent
// implementation of the format) and prints, per tag, the merged histogram's
// count, p50, p99 and max as JSON. Used by test/hdr_interop_test.cc.
// Usage: node read_hlog.js FILE
const fs = require("fs");
const hdr = require("hdr-histogram-js");

const text = fs.readFileSync(process.argv[2], "utf8");
const reader = new hdr.HistogramLogReader(text);
const merged = {};
let intervals = 0;
for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
  intervals++;
  const tag = h.tag || "";
  if (!merged[tag]) {
    merged[tag] = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3600000000,
                              numberOfSignificantValueDigits: 3, useWebAssembly: false });
  }
  merged[tag].add(h);
}
const out = { intervals, tags: {} };
for (const [tag, h] of Object.entries(merged)) {
  out.tags[tag] = { count: h.totalCount, p50: h.getValueAtPercentile(50), p99: h.getValueAtPercentile(99),
                    max: h.maxValue };
}
console.log(JSON.stringify(out));
