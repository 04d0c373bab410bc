// libFuzzer target: a threshold expression (`--threshold EXPR`, a workload's
// `thresholds:`), parsed by parse_threshold, then evaluated. Checks that
//   - parsing either succeeds or throws std::invalid_argument (another
//     exception escaping, a crash, a sanitizer report or a hang is a bug);
//   - a parsed threshold is one the grammar allows: a finite, non-negative
//     limit and grace, `service` only on a latency, a rate of the target
//     only for all operations;
//   - its own expression parses again to the same threshold;
//   - evaluate() and AbortWatch, which never throw, do not crash, on no
//     figures and on a few recorded ones, with and without a target.
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "measure/recorder.h"
#include "report/threshold.h"

namespace {

using namespace tikvbench;
using namespace std::chrono_literals;

bool same(const report::Threshold& a, const report::Threshold& b) {
  return a.expr == b.expr && a.op == b.op && a.metric == b.metric && a.service == b.service &&
         a.comparator == b.comparator && a.limit == b.limit && a.rate_of_target == b.rate_of_target &&
         a.abort == b.abort && a.grace == b.grace;
}

[[noreturn]] void fail(const report::Threshold& t, const char* what) {
  std::fprintf(stderr, "threshold '%s': %s\n", t.expr.c_str(), what);
  std::abort();
}

// Some reads and updates, a few failed, from a 1 ms to a 2 s latency; made
// once, as the figures of a run would be.
const measure::Figures& recorded_figures() {
  static const measure::Figures figures = [] {
    measure::Recorder recorder(1, 1);
    for (int i = 0; i < 200; ++i) {
      measure::OpRecord read;
      read.op = workload::OpType::kRead;
      read.ok = i % 50 != 0;
      read.service_us = 500 + i * 10;
      read.intended_us = 1'000 + i * 10'000;
      if (!read.ok) read.error_kind = "timeout";
      recorder.record(0, read);
      measure::OpRecord update;
      update.op = workload::OpType::kUpdate;
      update.service_us = 800;
      update.intended_us = 900;
      if (i % 4 == 0) recorder.record(0, update);
    }
    measure::Figures taken;
    taken.merge(*recorder.take_interval().recorded);
    return taken;
  }();
  return figures;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  report::Threshold t;
  try {
    t = report::parse_threshold(text);
  } catch (const std::invalid_argument&) {
    return 0;  // refused, with a message: expected
  }
  if (!std::isfinite(t.limit) || t.limit < 0) fail(t, "limit is not finite and non-negative");
  if (t.grace < 0ns) fail(t, "negative grace");
  if (t.service && !t.is_latency()) fail(t, "service on a metric that is not a latency");
  if (t.rate_of_target && (t.metric != report::ThresholdMetric::kRate || t.op)) fail(t, "a misplaced rate of target");
  try {
    if (!same(report::parse_threshold(t.expr), t)) fail(t, "its expression parses to another threshold");
  } catch (const std::invalid_argument& e) {
    fail(t, e.what());
  }

  const measure::Figures none;
  const report::ThresholdContext contexts[] = {{10s, 1'000.0}, {1s, std::nullopt}, {0s, 0.0}};
  for (const auto& context : contexts) {
    (void)report::evaluate(t, none, context);
    (void)report::evaluate(t, recorded_figures(), context);
  }
  report::AbortWatch watch({t});
  auto now = std::chrono::steady_clock::time_point() + 1h;
  for (int i = 0; i < 3; ++i) {
    (void)watch.on_interval(i == 1 ? none : recorded_figures(), contexts[0], now);
    now += 1s;
  }
  return 0;
}
