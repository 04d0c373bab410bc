#include "report/summary.h"
#include "util/duration.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace tikvbench::report {
namespace {


std::string upper(std::string_view name) {
  std::string out(name);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string go_ycsb_line(std::string_view name, const measure::Histogram& h, uint64_t count, double takes) {
  return fmt::format(
      "{:<6} - Takes(s): {:.1f}, Count: {}, OPS: {:.1f}, Avg(us): {:.0f}, Min(us): {}, Max(us): {}, 50th(us): {}, "
      "90th(us): {}, 95th(us): {}, 99th(us): {}, 99.9th(us): {}, 99.99th(us): {}\n",
      name, takes, count, takes > 0 ? static_cast<double>(count) / takes : 0.0, h.mean(), h.min(), h.max(),
      h.value_at_percentile(50), h.value_at_percentile(90), h.value_at_percentile(95), h.value_at_percentile(99),
      h.value_at_percentile(99.9), h.value_at_percentile(99.99));
}

}  // namespace

std::string format_micros(int64_t micros) {
  if (micros < 1000) return fmt::format("{}us", micros);
  if (micros < 1'000'000) return fmt::format("{:.3g}ms", static_cast<double>(micros) / 1e3);
  return fmt::format("{:.3g}s", static_cast<double>(micros) / 1e6);
}

std::string go_ycsb_lines(const measure::Figures& figures, std::chrono::nanoseconds duration) {
  std::string out;
  const double takes = to_seconds(duration);
  for (size_t i = 0; i < figures.ops.size(); ++i) {
    const auto& op = figures.ops[i];
    const auto name = upper(measure::kOpTypeNames[i]);
    if (op.count > 0 && op.ok_service) out += go_ycsb_line(name, *op.ok_service, op.count, takes);
    if (op.errors > 0 && op.failed_service) out += go_ycsb_line(name + "_ERROR", *op.failed_service, op.errors, takes);
  }
  return out;
}

std::string summary_table(const measure::Figures& figures, std::chrono::nanoseconds duration) {
  const double takes = to_seconds(duration);
  std::string out = fmt::format("{:<18} {:>10} {:>8} {:>9} {:>10} | {:>8} {:>8} {:>8} {:>8} | {:>8} {:>8} {:>8} {:>8}\n",
                                "operation", "count", "errors", "not found", "ops/s", "p50", "p99", "p99.9", "max",
                                "i.p50", "i.p99", "i.p99.9", "i.max");
  const auto cells = [](const std::unique_ptr<measure::Histogram>& h) {
    if (!h || h->total_count() == 0) return fmt::format("{:>8} {:>8} {:>8} {:>8}", "-", "-", "-", "-");
    return fmt::format("{:>8} {:>8} {:>8} {:>8}", format_micros(h->value_at_percentile(50)),
                       format_micros(h->value_at_percentile(99)), format_micros(h->value_at_percentile(99.9)),
                       format_micros(h->max()));
  };
  for (size_t i = 0; i < figures.ops.size(); ++i) {
    const auto& op = figures.ops[i];
    if (op.empty()) continue;
    out += fmt::format("{:<18} {:>10} {:>8} {:>9} {:>10.1f} | {} | {}\n", measure::kOpTypeNames[i], op.count,
                       op.errors, op.not_found, takes > 0 ? static_cast<double>(op.count + op.errors) / takes : 0.0,
                       cells(op.ok_service), cells(op.ok_intended));
  }
  out += "(ops/s: successes and errors; latency of successes, from the send | i.: from the intended start)\n";
  if (figures.late > 0) out += fmt::format("late starts (waited for an in-flight slot): {}\n", figures.late);
  for (const auto& [kind, n] : figures.errors_by_kind) {
    const auto example = figures.error_examples.find(kind);
    out += fmt::format("error {} {}{}\n", kind, n,
                       example == figures.error_examples.end() ? "" : ": " + example->second);
  }
  return out;
}

std::string store_table(const measure::Figures& figures, std::chrono::nanoseconds duration,
                        const std::map<uint64_t, std::string>& addresses,
                        const std::map<uint64_t, std::map<std::string, uint64_t>>& retries_by_store) {
  if (figures.stores.empty() && retries_by_store.empty()) return {};
  const double takes = to_seconds(duration);
  std::string out = fmt::format("{:<8} {:<22} {:<18} {:>10} {:>8} {:>10} {:>9} {:>9} {:>9}\n", "store", "address",
                                "op", "count", "errors", "ops/s", "i.p50", "i.p99", "i.max");
  const auto address_of = [&](uint64_t id) {
    const auto it = addresses.find(id);
    return it != addresses.end() ? it->second : std::string("?");
  };
  for (const auto& [id, store] : figures.stores) {
    for (size_t i = 0; i < store.ops.size(); ++i) {
      const auto& op = store.ops[i];
      if (op.empty()) continue;
      const auto cell = [&](double p) {
        return op.ok_intended && op.ok_intended->total_count() > 0
                   ? format_micros(p >= 100 ? op.ok_intended->max() : op.ok_intended->value_at_percentile(p))
                   : std::string("-");
      };
      out += fmt::format("{:<8} {:<22} {:<18} {:>10} {:>8} {:>10.1f} {:>9} {:>9} {:>9}\n", id, address_of(id),
                         measure::kOpTypeNames[i], op.count, op.errors,
                         takes > 0 ? static_cast<double>(op.count + op.errors) / takes : 0.0, cell(50), cell(99),
                         cell(100));
    }
  }
  for (const auto& [id, retries] : retries_by_store) {
    std::string line = id != 0 ? fmt::format("store {} retries:", id) : std::string("retries without a store:");
    for (const auto& [kind, n] : retries) line += fmt::format(" {} {}", kind, n);
    out += line + "\n";
  }
  return out;
}

std::string event_text(const Event& event) {
  return fmt::format("{:.1f}s {}{}{}{}", to_seconds(event.t), event.kind,
                     event.store != 0 ? fmt::format(" store {}", event.store) : "",
                     event.detail.empty() ? "" : ": " + event.detail,
                     event.count > 1 ? fmt::format(" x{}", event.count) : "");
}

std::string event_line(const Event& event) { return "event " + event_text(event); }

std::string interval_line(const measure::Figures& figures, std::chrono::nanoseconds elapsed, std::chrono::nanoseconds length,
                          std::string_view phase, uint64_t inflight) {
  const double takes = std::max(1e-9, to_seconds(length));
  std::string out = fmt::format("{:>6.1f}s [{}] {:.0f} ops/s", to_seconds(elapsed), phase,
                                static_cast<double>(figures.total_count() + figures.total_errors()) / takes);
  for (size_t i = 0; i < figures.ops.size(); ++i) {
    const auto& op = figures.ops[i];
    if (op.empty()) continue;
    out += fmt::format(" | {} {:.0f}/s", measure::kOpTypeNames[i], static_cast<double>(op.count + op.errors) / takes);
    if (op.ok_intended && op.ok_intended->total_count() > 0) {
      out += fmt::format(" p50 {} p99 {} max {}", format_micros(op.ok_intended->value_at_percentile(50)),
                         format_micros(op.ok_intended->value_at_percentile(99)), format_micros(op.ok_intended->max()));
    }
  }
  const auto errors = figures.total_errors();
  if (errors > 0) out += fmt::format(" | errors {}", errors);
  if (figures.late > 0) out += fmt::format(" | late {}", figures.late);
  if (const auto missing = figures.total_not_found(); missing > 0) out += fmt::format(" | not found {}", missing);
  out += fmt::format(" | inflight {}", inflight);
  return out;
}

}  // namespace tikvbench::report
