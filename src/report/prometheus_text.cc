#include "report/prometheus_text.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <vector>

#include <fmt/format.h>

namespace tikvbench::report {
namespace {

constexpr double kMicrosPerSecond = 1e6;

// Writes families into one string; one family at a time.
class Writer {
 public:
  // HELP and TYPE lines. Help texts are ours and need no escaping.
  void family(std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  // `labels` is already "{...}" with escaped values, or empty.
  void sample(std::string_view name, std::string_view labels, uint64_t value) {
    fmt::format_to(std::back_inserter(out_), "{}{} {}\n", name, labels, value);
  }
  void sample(std::string_view name, std::string_view labels, double value) {
    fmt::format_to(std::back_inserter(out_), "{}{} {}\n", name, labels, format_double(value));
  }
  std::string take() { return std::move(out_); }

 private:
  static std::string format_double(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    return fmt::format("{}", value);
  }
  std::string out_;
};

std::string label(std::string_view name, std::string_view value) {
  return fmt::format("{{{}=\"{}\"}}", name, escape_label_value(value));
}

// The cumulative count at each of kBucketBoundsMicros: every count at an
// index up to index_for(bound). HDR indexes ascend with value, so one pass.
std::array<int64_t, kBucketBoundsMicros.size()> cumulative_counts(const measure::Histogram& histogram) {
  std::array<int64_t, kBucketBoundsMicros.size()> result{};
  int64_t running = 0;
  int32_t index = 0;
  for (size_t b = 0; b < kBucketBoundsMicros.size(); ++b) {
    const int64_t bound = std::min(kBucketBoundsMicros[b].micros, histogram.highest_trackable_value());
    const int32_t last = histogram.index_for(bound);
    for (; index <= last && index < histogram.counts_length(); ++index) running += histogram.count_at_index(index);
    result[b] = running;
  }
  return result;
}

using HistogramOf = const std::unique_ptr<measure::Histogram> measure::OpFigures::*;
using OpSet = std::array<measure::OpFigures, measure::kOpTypeCount>;

// The operation types of some figures, with the labels that go before `op`
// ("" cluster-wide; `store="1",address="...",` for a store's).
struct LabelledOps {
  std::string labels;
  const OpSet* ops;
};

void histogram_family(Writer& w, const std::vector<LabelledOps>& sets, std::string_view name, std::string_view help,
                      HistogramOf member) {
  bool any = false;
  for (const auto& set : sets) {
    for (size_t i = 0; i < set.ops->size(); ++i) {
      const measure::Histogram* h = ((*set.ops)[i].*member).get();
      if (h == nullptr || h->total_count() == 0) continue;
      if (!any) w.family(name, "histogram", help);
      any = true;
      const std::string op = set.labels + fmt::format("op=\"{}\"", escape_label_value(measure::kOpTypeNames[i]));
      const auto cumulative = cumulative_counts(*h);
      const std::string bucket = fmt::format("{}_bucket", name);
      for (size_t b = 0; b < kBucketBoundsMicros.size(); ++b) {
        w.sample(bucket, fmt::format("{{{},le=\"{}\"}}", op, kBucketBoundsMicros[b].le),
                 static_cast<uint64_t>(cumulative[b]));
      }
      const auto count = static_cast<uint64_t>(h->total_count());
      w.sample(bucket, fmt::format("{{{},le=\"+Inf\"}}", op), count);
      const std::string op_label = fmt::format("{{{}}}", op);
      w.sample(fmt::format("{}_sum", name), op_label, h->mean() * static_cast<double>(count) / kMicrosPerSecond);
      w.sample(fmt::format("{}_count", name), op_label, count);
    }
  }
}

// `store="ID",address="ADDRESS",` for a store's samples.
std::string store_labels(const MetricsSnapshot& snapshot, uint64_t store) {
  const auto it = snapshot.store_addresses.find(store);
  return fmt::format("store=\"{}\",address=\"{}\",", store,
                     escape_label_value(it != snapshot.store_addresses.end() ? it->second : ""));
}

void store_families(Writer& w, const MetricsSnapshot& snapshot, const measure::Figures& totals) {
  std::vector<LabelledOps> sets;
  for (const auto& [id, store] : totals.stores) sets.push_back({store_labels(snapshot, id), &store.ops});
  bool any_ops = false;
  for (const auto& set : sets) {
    for (size_t i = 0; i < set.ops->size(); ++i) {
      const auto& op = (*set.ops)[i];
      if (op.empty()) continue;
      if (!any_ops) {
        w.family("tikv_bench_store_operations_total", "counter",
                 "Operations finished, by TiKV store (that of the last attempt), type and result.");
      }
      any_ops = true;
      const std::string name = escape_label_value(measure::kOpTypeNames[i]);
      w.sample("tikv_bench_store_operations_total", fmt::format("{{{}op=\"{}\",result=\"ok\"}}", set.labels, name),
               op.count);
      w.sample("tikv_bench_store_operations_total",
               fmt::format("{{{}op=\"{}\",result=\"error\"}}", set.labels, name), op.errors);
    }
  }
  bool any_retries = false;
  for (const auto& [store, reasons] : snapshot.retries_by_store) {
    for (const auto& [reason, n] : reasons) {
      if (!any_retries) {
        w.family("tikv_bench_store_retries_total", "counter",
                 "Requests retried inside the client, by the TiKV store that asked for it and the reason.");
      }
      any_retries = true;
      w.sample("tikv_bench_store_retries_total",
               fmt::format("{{{}reason=\"{}\"}}", store_labels(snapshot, store), escape_label_value(reason)), n);
    }
  }
  histogram_family(w, sets, "tikv_bench_store_operation_duration_seconds",
                   "Latency of successful operations from the actual send, by TiKV store.",
                   &measure::OpFigures::ok_service);
  histogram_family(w, sets, "tikv_bench_store_operation_intended_duration_seconds",
                   "Latency of successful operations from their intended start, by TiKV store.",
                   &measure::OpFigures::ok_intended);
}

void counter_by(Writer& w, std::string_view name, std::string_view help, std::string_view label_name,
                const std::map<std::string, uint64_t>& values) {
  if (values.empty()) return;
  w.family(name, "counter", help);
  for (const auto& [key, n] : values) w.sample(name, label(label_name, key), n);
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

std::string prometheus_text(const MetricsSnapshot& snapshot) {
  static const measure::Figures kEmpty;
  const measure::Figures& totals = snapshot.totals != nullptr ? *snapshot.totals : kEmpty;
  Writer w;

  bool any_ops = false;
  for (size_t i = 0; i < totals.ops.size(); ++i) {
    const measure::OpFigures& op = totals.ops[i];
    if (op.empty()) continue;
    if (!any_ops) {
      w.family("tikv_bench_operations_total", "counter", "Operations finished, by type and result.");
    }
    any_ops = true;
    const std::string name = escape_label_value(measure::kOpTypeNames[i]);
    w.sample("tikv_bench_operations_total", fmt::format("{{op=\"{}\",result=\"ok\"}}", name), op.count);
    w.sample("tikv_bench_operations_total", fmt::format("{{op=\"{}\",result=\"error\"}}", name), op.errors);
  }
  if (snapshot.warmup_totals != nullptr) {
    bool any_warmup = false;
    for (size_t i = 0; i < snapshot.warmup_totals->ops.size(); ++i) {
      const measure::OpFigures& op = snapshot.warmup_totals->ops[i];
      if (op.empty()) continue;
      if (!any_warmup) {
        w.family("tikv_bench_warmup_operations_total", "counter",
                 "Operations of warm-up phases finished, by type and result (not in tikv_bench_operations_total).");
      }
      any_warmup = true;
      const std::string name = escape_label_value(measure::kOpTypeNames[i]);
      w.sample("tikv_bench_warmup_operations_total", fmt::format("{{op=\"{}\",result=\"ok\"}}", name), op.count);
      w.sample("tikv_bench_warmup_operations_total", fmt::format("{{op=\"{}\",result=\"error\"}}", name), op.errors);
    }
  }
  bool any_not_found = false;
  for (size_t i = 0; i < totals.ops.size(); ++i) {
    const measure::OpFigures& op = totals.ops[i];
    if (op.empty()) continue;
    if (!any_not_found) {
      w.family("tikv_bench_not_found_total", "counter",
               "Keys that successful operations looked for and did not find, by operation type.");
    }
    any_not_found = true;
    w.sample("tikv_bench_not_found_total", label("op", measure::kOpTypeNames[i]), op.not_found);
  }
  counter_by(w, "tikv_bench_errors_total", "Failed operations, by kind of error.", "kind", totals.errors_by_kind);
  counter_by(w, "tikv_bench_retries_total", "Requests retried inside the client, by reason.", "reason",
             snapshot.retries_by_kind);

  w.family("tikv_bench_late_starts_total", "counter",
           "Open-loop operations that started late, waiting for a free in-flight slot.");
  w.sample("tikv_bench_late_starts_total", "", totals.late);

  w.family("tikv_bench_inflight_operations", "gauge", "Operations in flight now.");
  w.sample("tikv_bench_inflight_operations", "", snapshot.inflight);

  if (snapshot.target_kind != TargetKind::kNone) {
    w.family("tikv_bench_target", "gauge",
             "The current target: a rate in operations per second (open loop) or operations in flight "
             "(closed loop).");
    const std::string_view kind = snapshot.target_kind == TargetKind::kOpsPerSecond ? "ops_per_second" : "inflight";
    w.sample("tikv_bench_target", label("kind", kind), snapshot.target_level);
  }

  if (!snapshot.phase.empty()) {
    w.family("tikv_bench_phase_info", "gauge", "The current phase of the run; the value is always 1.");
    w.sample("tikv_bench_phase_info", label("phase", snapshot.phase), uint64_t{1});
    w.family("tikv_bench_warmup_phase", "gauge",
             "1 while the current phase is a warm-up (its operations count in "
             "tikv_bench_warmup_operations_total), else 0.");
    w.sample("tikv_bench_warmup_phase", "", uint64_t{snapshot.warmup ? 1u : 0u});
  }

  const std::vector<LabelledOps> all{{"", &totals.ops}};
  histogram_family(w, all, "tikv_bench_operation_duration_seconds",
                   "Latency of successful operations from the actual send (service time).", &measure::OpFigures::ok_service);
  histogram_family(w, all, "tikv_bench_operation_intended_duration_seconds",
                   "Latency of successful operations from their intended start (includes schedule lag).",
                   &measure::OpFigures::ok_intended);
  histogram_family(w, all, "tikv_bench_failed_operation_duration_seconds",
                   "Latency of failed operations from the actual send.", &measure::OpFigures::failed_service);
  counter_by(w, "tikv_bench_events_total", "Events the client observed or the user reported, by kind.", "kind",
             snapshot.events_by_kind);
  store_families(w, snapshot, totals);
  return w.take();
}

}  // namespace tikvbench::report
