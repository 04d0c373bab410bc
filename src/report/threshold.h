// Thresholds are pass/fail conditions on a run's figures, written as short
// expressions in a workload spec or on the command line ("read.p99 < 10ms",
// "error_rate < 1%", "rate >= 95% abort after 30s"). At the end of a run
// every threshold is evaluated on the totals; a threshold marked `abort` is
// also evaluated on each interval's figures while the run goes on, and
// AbortWatch says when one has failed long enough to stop the run.
//
// Grammar (whitespace is allowed between any two tokens; a value is one
// token, so "10ms" but not "10 ms"; names are lower case):
//
//   threshold  := [scope "."] metric comparator value [abort]
//   scope      := operation ["." "service"] | "service"
//   operation  := read | update | insert | scan | read_modify_write | delete
//               | batch_get | batch_put | all
//   metric     := p50 | p75 | p90 | p95 | p99 | p99.9 | p999 | p99.99 | p9999
//               | max | mean | error_rate | rate | count | errors
//               | availability | max_gap
//   comparator := "<" | "<=" | ">" | ">=" | "=="
//   abort      := "abort" ["after" duration]
//
// - Scope: an operation type, or `all` (the same as leaving it out) for all
//   operation types together.
// - p999 and p9999, the names the run's JSON uses (latency_us), mean
//   p99.9 and p99.99.
// - Latency metrics (p50 .. p99.99, max, mean) are over successful
//   operations and measured from the INTENDED start by default: the honest
//   latency, which includes time spent waiting to be sent (coordinated
//   omission). `service.` ("service.p99", "read.service.p99") selects the
//   latency from the send instead. The value is a duration ("250us", "10ms",
//   "1s"); a bare number is refused. Percentiles and max are HDR bucket
//   upper bounds, so within 0.1% above the recorded value.
// - error_rate: errors / (count + errors), the value a percentage ("1%") or
//   a fraction ("0.01").
// - rate: completed operations (successes and errors) per second. A value
//   with "%" ("95%") is a percentage of the open-loop target (only for all
//   operations together: the context has no per-operation target); a plain
//   number ("10000") is ops/s.
// - count, errors: the number of successes, of failures; a non-negative
//   integer.
// - availability, max_gap: of the whole run (availability.h), with no scope
//   and no abort: the share of windows that held the SLO (a percentage or
//   a fraction, "availability>=99.9%"), and the longest stretch without a
//   successful operation (a duration, "max_gap<5s"). Evaluated on figures
//   alone (an interval's) they have no data.
// - abort: also checked on each interval's figures during the run (so
//   count, errors and rate are per interval there); the run is aborted once
//   the threshold has failed for the grace period without a break: "after
//   30s", default kDefaultAbortGrace (10s), so one bad interval (a leader
//   transfer, a GC pause) does not end a run; "after 0s" aborts on the first
//   failing interval.
//
// No data. A latency or error_rate threshold over figures without a single
// operation (of its scope; for latency, without a success) has no value: it
// is ok, with value "no data" and no_data set, so that a threshold on an
// operation the mix does not run never fails a run. count, errors and rate
// always have a value: no operations counts 0 and 0 ops/s, so "count >= 1000"
// or "rate >= 95%" fail while "errors == 0" holds. A rate has no value, and
// is NOT ok, when the duration is not positive or, for a percentage, when
// the context has no target (a closed-loop run; needs_target() lets the
// caller refuse such a threshold at start-up).
//
// Thread safety: parse_threshold and evaluate are pure functions. An
// AbortWatch is used from one thread at a time.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "measure/recorder.h"
#include "workload/spec.h"

namespace tikvbench::report {

enum class ThresholdMetric {
  kP50, kP75, kP90, kP95, kP99, kP999, kP9999, kMax, kMean,  // latency
  kErrorRate, kRate, kCount, kErrors,
  kAvailability, kMaxGap,  // of a whole run
};

enum class Comparator { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual };

// The grace period of `abort` without `after`.
inline constexpr std::chrono::nanoseconds kDefaultAbortGrace = std::chrono::seconds(10);

struct Threshold {
  std::string expr;                    // the expression as written, trimmed
  std::optional<measure::OpType> op;  // empty: all operation types together
  ThresholdMetric metric = ThresholdMetric::kP99;
  bool service = false;                // latency from the send, not the intended start
  Comparator comparator = Comparator::kLess;
  // In the metric's unit: latency in microseconds; error_rate a fraction;
  // rate a fraction of the target when rate_of_target, else ops/s; count
  // and errors a number.
  double limit = 0;
  bool rate_of_target = false;
  bool abort = false;
  std::chrono::nanoseconds grace = kDefaultAbortGrace;  // meaningful when abort

  bool is_latency() const { return metric <= ThresholdMetric::kMean; }
  bool is_run_level() const { return metric == ThresholdMetric::kAvailability || metric == ThresholdMetric::kMaxGap; }
  // True when evaluating needs ThresholdContext::target_ops_per_sec.
  bool needs_target() const { return rate_of_target; }
};

// Returns the threshold written in `text` (grammar above). Throws
// std::invalid_argument with a one-line message that quotes `text` and says
// what is wrong where, e.g. "threshold 'read.p99<<10ms': expected a duration
// after '<'".
Threshold parse_threshold(std::string_view text);

// What evaluate() needs besides the figures.
struct ThresholdContext {
  std::chrono::nanoseconds duration{0};      // the span the figures cover
  std::optional<double> target_ops_per_sec;  // open loop: the target over that span
  std::optional<double> availability{};      // a whole run's: the share of windows that held (0..1)
  std::optional<std::chrono::nanoseconds> max_gap{};  // a whole run's longest stretch without a success
};

struct ThresholdResult {
  std::string expr;   // the threshold's expression
  bool ok = false;    // the condition holds (or there is no data; see above)
  std::string value;  // formatted: "12.3ms", "0.52%", "98.7%", "10234.5 ops/s", "42", "no data"
  double raw_value = 0;  // in the unit of Threshold::limit; 0 when no_data
  bool no_data = false;  // nothing to measure; `value` says why
};

// Evaluates `threshold` on `figures`. Never throws.
ThresholdResult evaluate(const Threshold& threshold, const measure::Figures& figures, const ThresholdContext& context);

// AbortWatch follows the `abort` thresholds through a run, one interval at
// a time, and says when one has failed continuously for its grace period.
// A failure is taken to span the whole interval it was measured over, so
// with 1s intervals and "after 10s" the run aborts at the end of the tenth
// failing interval in a row. A passing interval, or one without data,
// starts the count again.
//
// Thread safety: none; one thread at a time (the reporting loop).
class AbortWatch {
 public:
  // Keeps the thresholds of `thresholds` that have `abort`; the rest are
  // ignored.
  explicit AbortWatch(std::vector<Threshold> thresholds);
  AbortWatch(const AbortWatch&) = delete;
  AbortWatch& operator=(const AbortWatch&) = delete;

  // Evaluates every watched threshold on `interval`, the figures of the
  // interval of length `interval_context.duration` that ended at `now`.
  // Returns why to abort when a threshold has now failed continuously for
  // its grace period (the first such threshold, in the order given), else
  // nothing. The reason is one line for people, its time rounded:
  // "threshold 'errors == 0 abort after 3s' has failed for 3.0s; last value 4". `now` must not go backwards between calls.
  std::optional<std::string> on_interval(const measure::Figures& interval, const ThresholdContext& interval_context,
                                         std::chrono::steady_clock::time_point now);

  // True when no threshold has `abort`: on_interval() never fires.
  bool empty() const { return watched_.empty(); }

 private:
  struct Watched {
    Threshold threshold;
    std::optional<std::chrono::steady_clock::time_point> failing_since;
  };
  std::vector<Watched> watched_;
};

}  // namespace tikvbench::report
