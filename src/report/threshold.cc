#include "report/threshold.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <charconv>
#include <cmath>
#include <memory>
#include <span>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/summary.h"
#include "util/duration.h"

namespace tikvbench::report {
namespace {

struct MetricName {
  std::string_view name;
  ThresholdMetric metric;
  double percentile;  // latency percentiles only
};

// p999 and p9999 are the JSON's names (latency_us) for p99.9 and p99.99,
// after the preferred spelling so metric_entry() finds that one first.
constexpr std::array<MetricName, 17> kMetrics = {{
    {"p50", ThresholdMetric::kP50, 50},
    {"p75", ThresholdMetric::kP75, 75},
    {"p90", ThresholdMetric::kP90, 90},
    {"p95", ThresholdMetric::kP95, 95},
    {"p99", ThresholdMetric::kP99, 99},
    {"p99.9", ThresholdMetric::kP999, 99.9},
    {"p999", ThresholdMetric::kP999, 99.9},
    {"p99.99", ThresholdMetric::kP9999, 99.99},
    {"p9999", ThresholdMetric::kP9999, 99.99},
    {"max", ThresholdMetric::kMax, 0},
    {"mean", ThresholdMetric::kMean, 0},
    {"error_rate", ThresholdMetric::kErrorRate, 0},
    {"rate", ThresholdMetric::kRate, 0},
    {"count", ThresholdMetric::kCount, 0},
    {"errors", ThresholdMetric::kErrors, 0},
    {"availability", ThresholdMetric::kAvailability, 0},
    {"max_gap", ThresholdMetric::kMaxGap, 0},
}};

struct ComparatorName {
  std::string_view text;
  Comparator comparator;
};

// Longest first, so "<=" is not read as "<" followed by "=".
constexpr std::array<ComparatorName, 5> kComparators = {{
    {"<=", Comparator::kLessEqual},
    {">=", Comparator::kGreaterEqual},
    {"==", Comparator::kEqual},
    {"<", Comparator::kLess},
    {">", Comparator::kGreater},
}};

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_comparator_char(char c) { return c == '<' || c == '>' || c == '=' || c == '!'; }

std::optional<measure::OpType> op_named(std::string_view name) {
  for (size_t i = 0; i < measure::kOpTypeNames.size(); ++i) {
    if (measure::kOpTypeNames[i] == name) return static_cast<measure::OpType>(i);
  }
  return std::nullopt;
}

const MetricName* metric_named(std::string_view name) {
  for (const auto& m : kMetrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

const MetricName& metric_entry(ThresholdMetric metric) {
  for (const auto& m : kMetrics) {
    if (m.metric == metric) return m;
  }
  return kMetrics[0];  // unreachable: every metric is in the table
}

// A one-pass reader over the expression; every failure throws with the
// expression quoted.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Threshold parse() {
    Threshold t;
    t.expr = std::string(text_);
    if (text_.empty()) fail("empty expression (try read.p99 < 10ms)");
    parse_subject(t);
    parse_comparator(t);
    parse_value(t);
    parse_abort(t);
    return t;
  }

 private:
  [[noreturn]] void fail(std::string_view what) const {
    throw std::invalid_argument(fmt::format("threshold '{}': {}", text_, what));
  }

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  // A name: [A-Za-z_][A-Za-z0-9_]*, continued by ".<digits>" (p99.9).
  std::string_view read_name() {
    const size_t start = pos_;
    if (!is_name_start(peek())) return {};
    while (is_name_char(peek())) ++pos_;
    while (peek() == '.' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1])) {
      ++pos_;
      while (is_digit(peek())) ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  // The rest up to the next whitespace.
  std::string_view read_word() {
    const size_t start = pos_;
    while (!at_end() && !is_space(peek())) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // [scope "."] metric
  void parse_subject(Threshold& t) {
    std::vector<std::string_view> parts;
    skip_space();
    std::string_view name = read_name();
    if (name.empty()) {
      fail(at_end() ? std::string("expected a metric (try read.p99 < 10ms)")
                    : fmt::format("expected a metric at '{}' (try read.p99 < 10ms)", read_word()));
    }
    parts.push_back(name);
    for (;;) {
      skip_space();
      if (peek() != '.') break;
      ++pos_;
      skip_space();
      name = read_name();
      if (name.empty()) fail(fmt::format("expected a metric after '{}.'", fmt::join(parts, ".")));
      parts.push_back(name);
    }
    subject_ = fmt::format("{}", fmt::join(parts, "."));

    const std::string_view metric_name = parts.back();
    const MetricName* metric = metric_named(metric_name);
    if (metric == nullptr) {
      if (op_named(metric_name) || metric_name == "all" || metric_name == "service") {
        fail(fmt::format("'{}' needs a metric after it (e.g. {}.p99)", subject_, subject_));
      }
      fail(fmt::format("unknown metric '{}' (expected p50, p75, p90, p95, p99, p99.9 (or p999), p99.99 (or "
                       "p9999), max, mean, error_rate, rate, count, errors, availability or max_gap)",
                       metric_name));
    }
    t.metric = metric->metric;

    std::span<const std::string_view> scope(parts.data(), parts.size() - 1);
    if (t.is_run_level() && !scope.empty()) {
      fail(fmt::format("'{}' is of the whole run: nothing goes before it", metric_name));
    }
    if (scope.size() > 2) fail(fmt::format("too many parts in '{}' (at most operation.service.metric)", subject_));
    if (scope.size() == 2 && scope[0] == "service") {
      fail(fmt::format("'service' goes after the operation (e.g. {}.service.{})", scope[1], metric_name));
    }
    if (scope.size() == 2 || (scope.size() == 1 && scope[0] != "service")) {
      if (scope[0] != "all") {
        t.op = op_named(scope[0]);
        if (!t.op) {
          fail(fmt::format("unknown operation '{}' (expected read, update, insert, scan, read_modify_write, "
                           "delete, batch_get, batch_put or all)",
                           scope[0]));
        }
      }
      scope = scope.subspan(1);
    }
    if (!scope.empty()) {
      if (scope[0] != "service") {
        fail(fmt::format("expected 'service' or a metric after '{}.', got '{}'", parts[0], scope[0]));
      }
      if (!t.is_latency()) {
        fail(fmt::format("'service.' selects the latency from the send; '{}' is not a latency", metric_name));
      }
      t.service = true;
    }
  }

  void parse_comparator(Threshold& t) {
    skip_space();
    for (const auto& c : kComparators) {
      if (text_.substr(pos_).starts_with(c.text)) {
        t.comparator = c.comparator;
        comparator_ = c.text;
        pos_ += c.text.size();
        return;
      }
    }
    if (is_comparator_char(peek())) {
      const size_t start = pos_;
      while (is_comparator_char(peek())) ++pos_;
      fail(fmt::format("unknown comparator '{}' after '{}' (expected <, <=, >, >= or ==)",
                       text_.substr(start, pos_ - start), subject_));
    }
    fail(at_end() ? fmt::format("expected a comparator (<, <=, >, >= or ==) after '{}'", subject_)
                  : fmt::format("expected a comparator (<, <=, >, >= or ==) after '{}', got '{}'", subject_,
                                read_word()));
  }

  void parse_value(Threshold& t) {
    skip_space();
    std::string_view what;
    if (t.is_latency() || t.metric == ThresholdMetric::kMaxGap) what = "a duration";
    else if (t.metric == ThresholdMetric::kErrorRate || t.metric == ThresholdMetric::kAvailability) {
      what = "a percentage or fraction";
    }
    else if (t.metric == ThresholdMetric::kRate) what = "a percentage of the target or ops/s";
    else what = "a count";
    const std::string_view value = read_word();
    if (value.empty() || is_comparator_char(value.front())) {
      fail(fmt::format("expected {} after '{}'", what, comparator_));
    }
    if (t.is_latency()) {
      double number = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (ec == std::errc() && ptr == value.data() + value.size()) {
        fail(fmt::format("latency '{}' needs a unit (e.g. {}ms, {}us, {}s)", value, value, value, value));
      }
      t.limit = static_cast<double>(checked(value, parse_duration).count()) / 1e3;
    } else if (t.metric == ThresholdMetric::kMaxGap) {
      t.limit = static_cast<double>(checked(value, parse_duration).count()) / 1e3;
    } else if (t.metric == ThresholdMetric::kErrorRate || t.metric == ThresholdMetric::kAvailability) {
      t.limit = checked(value, parse_fraction);
    } else if (t.metric == ThresholdMetric::kRate) {
      const bool percent = value.back() == '%';
      const std::string_view digits = percent ? value.substr(0, value.size() - 1) : value;
      double number = 0;
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
      if (ec != std::errc() || ptr != digits.data() + digits.size() || !std::isfinite(number) || number < 0) {
        fail(fmt::format("'{}' is not a rate (try 95% of the target or 10000 ops/s)", value));
      }
      if (percent && t.op) {
        fail(fmt::format("a rate as a percentage of the target is for all operations together; give {}'s rate "
                         "in ops/s",
                         measure::op_name(*t.op)));
      }
      t.rate_of_target = percent;
      t.limit = percent ? number / 100 : number;
    } else {
      uint64_t number = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (ec != std::errc() || ptr != value.data() + value.size()) {
        fail(fmt::format("'{}' is not a count (a whole number like 1000)", value));
      }
      t.limit = static_cast<double>(number);
    }
    value_ = value;
  }

  template <typename Parse>
  auto checked(std::string_view value, Parse parse) const -> decltype(parse(value)) {
    try {
      return parse(value);
    } catch (const std::invalid_argument& e) {
      fail(e.what());
    }
  }

  // ["abort" ["after" duration]]
  void parse_abort(Threshold& t) {
    skip_space();
    if (at_end()) return;
    std::string_view word = read_name();
    if (word != "abort") {
      fail(fmt::format("unexpected '{}' after '{}' (expected 'abort' or the end)", word.empty() ? read_word() : word,
                       value_));
    }
    if (t.is_run_level()) fail(fmt::format("'{}' is judged at the end of the run: no 'abort'", subject_));
    t.abort = true;
    skip_space();
    if (at_end()) return;
    word = read_name();
    if (word != "after") {
      fail(fmt::format("unexpected '{}' after 'abort' (expected 'after' and a duration, or the end)",
                       word.empty() ? read_word() : word));
    }
    skip_space();
    const std::string_view grace = read_word();
    if (grace.empty()) fail("expected a duration after 'after'");
    t.grace = checked(grace, parse_duration);
    skip_space();
    if (!at_end()) fail(fmt::format("unexpected '{}' after 'after {}'", read_word(), grace));
  }

  const std::string_view text_;
  size_t pos_ = 0;
  std::string subject_;         // "read.p99", as written without spaces
  std::string_view comparator_;
  std::string_view value_;
};

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool holds(double value, Comparator comparator, double limit) {
  switch (comparator) {
    case Comparator::kLess: return value < limit;
    case Comparator::kLessEqual: return value <= limit;
    case Comparator::kGreater: return value > limit;
    case Comparator::kGreaterEqual: return value >= limit;
    case Comparator::kEqual: return value == limit;
  }
  return false;
}

// "0.52%", "98.7%", "100%".
std::string format_percent(double fraction) { return fmt::format("{:.4g}%", fraction * 100); }

// The histogram a latency threshold reads: the operation's own, or all of
// them merged into `merged`. Null when there is none.
const measure::Histogram* latency_histogram(const Threshold& t, const measure::Figures& figures, std::unique_ptr<measure::Histogram>& merged) {
  const auto pick = [&](const measure::OpFigures& op) { return t.service ? op.ok_service.get() : op.ok_intended.get(); };
  if (t.op) return pick(figures.ops[static_cast<size_t>(*t.op)]);
  const measure::Histogram* only = nullptr;
  int found = 0;
  for (const auto& op : figures.ops) {
    if (const measure::Histogram* h = pick(op); h != nullptr && h->total_count() > 0) {
      only = h;
      ++found;
    }
  }
  if (found <= 1) return only;  // no copy when one operation type ran
  merged = measure::make_latency_histogram();
  for (const auto& op : figures.ops) {
    if (const measure::Histogram* h = pick(op); h != nullptr) {
      // Every latency histogram has make_latency_histogram()'s layout.
      [[maybe_unused]] const Status status = merged->merge(*h);
      assert(status.ok());
    }
  }
  return merged.get();
}

}  // namespace

Threshold parse_threshold(std::string_view text) { return Parser(trim(text)).parse(); }

ThresholdResult evaluate(const Threshold& threshold, const measure::Figures& figures, const ThresholdContext& context) {
  ThresholdResult result;
  result.expr = threshold.expr;
  const auto no_data = [&](bool ok, std::string why) {
    result.ok = ok;
    result.no_data = true;
    result.value = std::move(why);
    result.raw_value = 0;
    return result;
  };

  uint64_t count = 0;
  uint64_t errors = 0;
  if (threshold.op) {
    const auto& op = figures.ops[static_cast<size_t>(*threshold.op)];
    count = op.count;
    errors = op.errors;
  } else {
    count = figures.total_count();
    errors = figures.total_errors();
  }

  double value = 0;
  if (threshold.metric == ThresholdMetric::kAvailability) {
    if (!context.availability) return no_data(true, "no data");
    value = *context.availability;
    result.value = format_percent(value);
  } else if (threshold.metric == ThresholdMetric::kMaxGap) {
    if (!context.max_gap) return no_data(true, "no data");
    value = static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(*context.max_gap).count());
    result.value = format_micros(std::llround(value));
  } else if (threshold.is_latency()) {
    std::unique_ptr<measure::Histogram> merged;
    const measure::Histogram* h = latency_histogram(threshold, figures, merged);
    if (h == nullptr || h->total_count() == 0) return no_data(true, "no data");
    switch (threshold.metric) {
      case ThresholdMetric::kMax: value = static_cast<double>(h->max()); break;
      case ThresholdMetric::kMean: value = h->mean(); break;
      default: value = static_cast<double>(h->value_at_percentile(metric_entry(threshold.metric).percentile));
    }
    result.value = format_micros(std::llround(value));
  } else if (threshold.metric == ThresholdMetric::kErrorRate) {
    if (count + errors == 0) return no_data(true, "no data");
    value = static_cast<double>(errors) / static_cast<double>(count + errors);
    result.value = format_percent(value);
  } else if (threshold.metric == ThresholdMetric::kRate) {
    const double seconds = std::chrono::duration<double>(context.duration).count();
    if (!(seconds > 0)) return no_data(false, "no data");
    const double ops_per_sec = static_cast<double>(count + errors) / seconds;
    if (threshold.rate_of_target) {
      if (!context.target_ops_per_sec || !(*context.target_ops_per_sec > 0)) return no_data(false, "no target");
      value = ops_per_sec / *context.target_ops_per_sec;
      result.value = format_percent(value);
    } else {
      value = ops_per_sec;
      result.value = fmt::format("{:.1f} ops/s", value);
    }
  } else {
    const uint64_t n = threshold.metric == ThresholdMetric::kCount ? count : errors;
    value = static_cast<double>(n);
    result.value = fmt::format("{}", n);
  }
  result.raw_value = value;
  result.ok = holds(value, threshold.comparator, threshold.limit);
  return result;
}

AbortWatch::AbortWatch(std::vector<Threshold> thresholds) {
  for (auto& t : thresholds) {
    if (t.abort) watched_.push_back({std::move(t), std::nullopt});
  }
}

std::optional<std::string> AbortWatch::on_interval(const measure::Figures& interval, const ThresholdContext& interval_context,
                                                   std::chrono::steady_clock::time_point now) {
  std::optional<std::string> reason;
  // Every threshold is brought up to date, even after one has fired, so a
  // caller that goes on after a reason sees consistent state.
  for (auto& w : watched_) {
    const ThresholdResult result = evaluate(w.threshold, interval, interval_context);
    if (result.ok || result.no_data) {
      w.failing_since.reset();
      continue;
    }
    // The failure is taken to have started with the interval.
    if (!w.failing_since) {
      using Duration = std::chrono::steady_clock::duration;
      w.failing_since = now - std::chrono::duration_cast<Duration>(interval_context.duration);
    }
    const auto failing_for = std::chrono::duration_cast<std::chrono::nanoseconds>(now - *w.failing_since);
    if (!reason && failing_for >= w.threshold.grace) {
      reason = fmt::format("threshold '{}' has failed for {}; last value {}", w.threshold.expr,
                           human_duration(failing_for), result.value);
    }
  }
  return reason;
}

}  // namespace tikvbench::report
