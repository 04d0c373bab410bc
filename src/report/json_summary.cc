#include "report/json_summary.h"

#include <chrono>
#include <cmath>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "report/json_field.h"
#include "report/summary.h"
#include "util/duration.h"
#include "workload/spec.h"

namespace tikvbench::report {
namespace {

using nlohmann::json;

// ---- Reading the document: nothing here throws on a missing or odd field.

std::optional<double> finite_number(const json* j) {
  if (j == nullptr || !j->is_number()) return std::nullopt;
  const double value = j->get<double>();
  return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

std::string string_or_empty(const json* j) {
  return j != nullptr && j->is_string() ? j->get<std::string>() : std::string();
}

// A count as written ("1000"), or "-".
std::string count(const json* j) {
  if (j == nullptr) return "-";
  if (j->is_number_unsigned()) return fmt::format("{}", j->get<uint64_t>());
  if (j->is_number_integer()) return fmt::format("{}", j->get<int64_t>());
  if (const auto value = finite_number(j)) return fmt::format("{:.0f}", *value);
  return "-";
}

std::string rate(const json* j) {
  const auto value = finite_number(j);
  return value ? fmt::format("{:.1f}", *value) : "-";
}

// A latency in microseconds the way the end-of-run table shows it.
std::string micros(const json* j) {
  const auto value = finite_number(j);
  return value && *value >= 0 ? format_micros(std::llround(*value)) : "-";
}

// p50, p99, p99.9 and max of a latency_us object: the table's four cells.
std::string cells(const json* latency) {
  return fmt::format("{:>8} {:>8} {:>8} {:>8}", micros(field(latency, "p50")), micros(field(latency, "p99")),
                     micros(field(latency, "p999")), micros(field(latency, "max")));
}

std::string row(std::string_view name, const json* op) {
  return fmt::format("{:<18} {:>10} {:>8} {:>9} {:>10} | {} | {}\n", name, count(field(op, "count")),
                     count(field(op, "errors")), count(field(op, "not_found")), rate(field(op, "ops_per_sec")),
                     cells(field(op, "latency_us")), cells(field(op, "intended_latency_us")));
}

bool is_op_type(std::string_view name) {
  for (const auto known : measure::kOpTypeNames) {
    if (known == name) return true;
  }
  return false;
}

// The pairs of an object of counts, in its order: " not_leader 1 timeout 3".
std::string counts(const json* by_kind) {
  std::string out;
  if (by_kind == nullptr || !by_kind->is_object()) return out;
  for (const auto& [kind, n] : by_kind->items()) out += fmt::format(" {} {}", kind, count(&n));
  return out;
}

}  // namespace

std::string json_summary(const nlohmann::json& run) {
  const json* doc = &run;
  std::string out;

  // The heading: what ran, when, how long.
  const json* workload = field(doc, "workload");
  std::string heading = "run";
  if (const auto name = string_or_empty(field(workload, "name")); !name.empty()) heading += " of " + name;
  if (const auto source = string_or_empty(field(workload, "source")); !source.empty()) heading += " (" + source + ")";
  if (const auto started = string_or_empty(field(doc, "started_at")); !started.empty()) heading += ", started " + started;
  if (const auto seconds = finite_number(field(doc, "duration_s")); seconds && *seconds >= 0 && *seconds < 9e9) {
    heading += ", " + human_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::duration<double>(*seconds)));
  }
  out += heading + "\n";

  // The table, in the order of the end-of-run one; names of other tools after.
  out += fmt::format("{:<18} {:>10} {:>8} {:>9} {:>10} | {:>8} {:>8} {:>8} {:>8} | {:>8} {:>8} {:>8} {:>8}\n",
                     "operation", "count", "errors", "not found", "ops/s", "p50", "p99", "p99.9", "max", "i.p50",
                     "i.p99", "i.p99.9", "i.max");
  const json* ops = field(doc, "ops");
  for (const auto name : measure::kOpTypeNames) {
    if (const json* op = field(ops, name)) out += row(name, op);
  }
  if (ops != nullptr && ops->is_object()) {
    for (const auto& [name, op] : ops->items()) {
      if (!is_op_type(name)) out += row(name, &op);
    }
  }
  out += "(ops/s: successes and errors; latency of successes, from the send | i.: from the intended start)\n";

  const json* total = field(doc, "total");
  out += fmt::format("total: count {}, errors {}, not found {}, {} ops/s\n", count(field(total, "count")),
                     count(field(total, "errors")), count(field(total, "not_found")), rate(field(total, "ops_per_sec")));
  if (const auto ended = string_or_empty(field(doc, "ended_by")); !ended.empty()) out += "ended by: " + ended + "\n";
  if (const auto late = finite_number(field(doc, "late")); late && *late > 0) {
    out += fmt::format("late starts (waited for an in-flight slot): {}\n", count(field(doc, "late")));
  }
  if (const json* errors = field(doc, "errors_by_kind"); errors != nullptr && errors->is_object()) {
    const json* examples = field(doc, "error_examples");
    for (const auto& [kind, n] : errors->items()) {
      const auto example = string_or_empty(field(examples, kind));
      out += fmt::format("error {} {}{}\n", kind, count(&n), example.empty() ? "" : ": " + example);
    }
  }
  if (const auto retries = counts(field(doc, "retries_by_kind")); !retries.empty()) {
    out += "retries:" + retries + "\n";
  }
  if (const json* verify = field(doc, "verify"); verify != nullptr && verify->is_object()) {
    out += fmt::format("verify: checked {}, lost {}, corrupt {}\n", count(field(verify, "checked")),
                       count(field(verify, "lost")), count(field(verify, "corrupt")));
    if (const json* examples = field(verify, "examples"); examples != nullptr && examples->is_array()) {
      for (const auto& example : *examples) {
        if (example.is_string()) out += "verify: " + example.get<std::string>() + "\n";
      }
    }
  }
  // As the run printed them.
  if (const json* thresholds = field(doc, "thresholds"); thresholds != nullptr && thresholds->is_array()) {
    for (const auto& t : *thresholds) {
      const json* ok = field(&t, "ok");
      const std::string verdict = ok == nullptr || !ok->is_boolean() ? "-" : ok->get<bool>() ? "ok" : "FAILED";
      out += fmt::format("threshold {}: {} ({})\n", string_or_empty(field(&t, "expr")), verdict, string_or_empty(field(&t, "value")));
    }
  }
  return out;
}

}  // namespace tikvbench::report
