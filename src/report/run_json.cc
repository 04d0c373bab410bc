#include "report/run_json.h"

#include <ctime>

#include <fmt/format.h>

#include "version.h"

namespace tikvbench::report {
namespace {

using nlohmann::json;

json latency(const measure::Histogram& h) {
  return {{"min", h.min()},
          {"mean", h.mean()},
          {"p50", h.value_at_percentile(50)},
          {"p90", h.value_at_percentile(90)},
          {"p95", h.value_at_percentile(95)},
          {"p99", h.value_at_percentile(99)},
          {"p999", h.value_at_percentile(99.9)},
          {"p9999", h.value_at_percentile(99.99)},
          {"max", h.max()}};
}

json spectrum(const measure::Histogram& h) {
  json points = json::array();
  for (const auto& point : h.percentile_spectrum(5)) points.push_back({point.percentile, point.value});
  return points;
}

std::string_view shape_name(workload::PhaseShape shape) {
  switch (shape) {
    case workload::PhaseShape::kConstant: return "constant";
    case workload::PhaseShape::kRamp: return "ramp";
    case workload::PhaseShape::kSteps: return "steps";
  }
  return "constant";
}

json interval_ops_json(const std::array<OpInterval, measure::kOpTypeCount>& intervals) {
  json ops = json::object();
  for (size_t i = 0; i < intervals.size(); ++i) {
    const auto& op = intervals[i];
    if (op.count == 0 && op.errors == 0) continue;
    ops[std::string(measure::kOpTypeNames[i])] = {
        {"count", op.count},         {"errors", op.errors},   {"not_found", op.not_found}, {"p50_us", op.p50_us},
        {"p90_us", op.p90_us},       {"p99_us", op.p99_us},   {"p999_us", op.p999_us},
        {"max_us", op.max_us},       {"service_p50_us", op.service_p50_us},
        {"service_p99_us", op.service_p99_us}, {"service_max_us", op.service_max_us}};
  }
  return ops;
}

json interval_json(const IntervalRecord& record) {
  const json ops = interval_ops_json(record.ops);
  json out = {{"t", record.t},           {"length_s", record.length}, {"phase", record.phase},
              {"warmup", record.warmup}, {"drain", record.drain},       {"inflight", record.inflight},
              {"late", record.late},     {"ops", ops}};
  out["target_ops_per_sec"] = record.target_ops_per_sec ? json(*record.target_ops_per_sec) : json(nullptr);
  if (record.merged > 1) out["merged"] = record.merged;
  if (!record.errors_by_kind.empty()) out["errors_by_kind"] = record.errors_by_kind;
  out["retries_by_kind"] = record.retries_by_kind;
  json stores = json::object();
  for (const auto& [id, ops] : record.stores) stores[std::to_string(id)] = interval_ops_json(ops);
  out["stores"] = stores;
  return out;
}

// ops {OP: {...}} of some operation types over `seconds`.
json ops_json(const std::array<measure::OpFigures, measure::kOpTypeCount>& figures, double seconds) {
  const auto rate = [&](uint64_t n) { return seconds > 0 ? static_cast<double>(n) / seconds : 0.0; };
  json ops = json::object();
  for (size_t i = 0; i < figures.size(); ++i) {
    const auto& op = figures[i];
    if (op.empty()) continue;
    json entry = {{"count", op.count},
                  {"errors", op.errors},
                  {"cancelled", op.cancelled},
                  {"not_found", op.not_found},
                  {"ops_per_sec", rate(op.count + op.errors)}};
    if (op.ok_service) {
      entry["latency_us"] = latency(*op.ok_service);
      entry["spectrum"] = spectrum(*op.ok_service);
    }
    if (op.ok_intended) {
      entry["intended_latency_us"] = latency(*op.ok_intended);
      entry["intended_spectrum"] = spectrum(*op.ok_intended);
    }
    if (op.failed_service) entry["error_latency_us"] = latency(*op.failed_service);
    ops[std::string(measure::kOpTypeNames[i])] = entry;
  }
  return ops;
}

// total {...} and ops {OP: {...}} of `figures` over `seconds`.
void add_figures(json& into, const measure::Figures& figures, double seconds) {
  const auto rate = [&](uint64_t n) { return seconds > 0 ? static_cast<double>(n) / seconds : 0.0; };
  into["total"] = {{"count", figures.total_count()},
                   {"errors", figures.total_errors()},
                   {"cancelled", figures.total_cancelled()},
                   {"not_found", figures.total_not_found()},
                   {"ops_per_sec", rate(figures.total_count() + figures.total_errors())}};
  into["ops"] = ops_json(figures.ops, seconds);
}

// stores {ID: {address, ops, retries_by_kind}}: every store that took an
// operation or asked for a retry.
json stores_json(const measure::Figures& totals, const RunFigures& figures, double seconds) {
  std::map<uint64_t, json> stores;
  const auto entry = [&](uint64_t id) -> json& {
    auto [it, fresh] = stores.try_emplace(id);
    if (fresh) {
      const auto address = figures.store_addresses.find(id);
      it->second = {{"address", address != figures.store_addresses.end() ? json(address->second) : json(nullptr)},
                    {"ops", json::object()},
                    {"retries_by_kind", json::object()}};
    }
    return it->second;
  };
  for (const auto& [id, store] : totals.stores) {
    if (!store.empty()) entry(id)["ops"] = ops_json(store.ops, seconds);
  }
  for (const auto& [id, retries] : figures.retries_by_store) {
    if (id != 0) entry(id)["retries_by_kind"] = retries;
  }
  json out = json::object();
  for (auto& [id, value] : stores) out[std::to_string(id)] = std::move(value);
  return out;
}

}  // namespace

json event_json(const Event& event) {
  return {{"t", std::chrono::duration<double>(event.t).count()},
          {"kind", event.kind},
          {"store", event.store != 0 ? json(event.store) : json(nullptr)},
          {"detail", event.detail},
          {"count", event.count}};
}

std::string iso8601(std::chrono::system_clock::time_point t) {
  const auto seconds = std::chrono::system_clock::to_time_t(t);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

json run_json(const RunInfo& info, const RunFigures& figures) {
  const double duration = std::chrono::duration<double>(figures.recorded).count();
  json doc;
  doc["version"] = kVersion;
  doc["workload"] = {{"name", info.workload_name}, {"source", info.workload_source}, {"spec", info.workload_spec}};
  doc["cluster"] = {{"pd", info.pd},
                    {"embedded_mock", info.embedded_mock},
                    {"loops", info.loops},
                    {"threads", info.threads},
                    {"transport", info.transport},
                    {"shard", info.shard}};
  doc["started_at"] = iso8601(info.started_at);
  doc["duration_s"] = duration;
  doc["ended_by"] = figures.ended_by.empty() ? json(nullptr) : json(figures.ended_by);
  json phases = json::array();
  for (size_t i = 0; i < info.phases.size(); ++i) {
    const auto& phase = info.phases[i];
    const bool endless = phase.duration == std::chrono::nanoseconds::max();
    json entry = {{"name", phase.name},
                  {"start_s", i < info.phase_starts_s.size() ? info.phase_starts_s[i] : 0.0},
                  {"duration_s", endless ? json(nullptr) : json(std::chrono::duration<double>(phase.duration).count())},
                  {"kind", phase.kind == workload::LoadKind::kRate ? "rate" : "concurrency"},
                  {"shape", shape_name(phase.shape)},
                  {"from", phase.from},
                  {"to", phase.shape == workload::PhaseShape::kRamp ? phase.to : phase.from},
                  {"steps", phase.steps},
                  {"warmup", phase.warmup}};
    if (i < figures.phases.size()) {
      const auto& ran = figures.phases[i];
      const double took = std::chrono::duration<double>(ran.took).count();
      entry["ran"] = ran.ran;
      entry["count"] = ran.count;
      entry["errors"] = ran.errors;
      entry["late"] = ran.late;
      entry["took_s"] = took;
      entry["ops_per_sec"] = took > 0 ? static_cast<double>(ran.count + ran.errors) / took : 0.0;
      entry["target_ops_per_sec"] = ran.target_ops_per_sec ? json(*ran.target_ops_per_sec) : json(nullptr);
    }
    phases.push_back(std::move(entry));
  }
  doc["phases"] = phases;
  const measure::Figures empty;
  const measure::Figures& totals = figures.totals ? *figures.totals : empty;
  add_figures(doc, totals, duration);
  if (figures.warmup != nullptr && figures.warmup_time.count() > 0) {
    json warmup;
    const double seconds = std::chrono::duration<double>(figures.warmup_time).count();
    warmup["duration_s"] = seconds;
    add_figures(warmup, *figures.warmup, seconds);
    doc["warmup"] = warmup;
  } else {
    doc["warmup"] = nullptr;
  }
  doc["errors_by_kind"] = totals.errors_by_kind;
  doc["error_examples"] = totals.error_examples;
  doc["retries_by_kind"] = figures.retries_by_kind;
  doc["late"] = totals.late;
  if (figures.verify) {
    doc["verify"] = {{"checked", figures.verify->checked},
                     {"lost", figures.verify->lost},
                     {"corrupt", figures.verify->corrupt},
                     {"examples", figures.verify->examples}};
  } else {
    doc["verify"] = nullptr;
  }
  json thresholds = json::array();
  for (const auto& t : figures.thresholds) thresholds.push_back({{"expr", t.expr}, {"ok", t.ok}, {"value", t.value}});
  doc["thresholds"] = thresholds;
  json intervals = json::array();
  if (figures.intervals) {
    for (const auto& record : *figures.intervals) intervals.push_back(interval_json(record));
  }
  doc["intervals"] = intervals;
  doc["stores"] = stores_json(totals, figures, duration);
  json events = json::array();
  for (const auto& event : figures.events) events.push_back(event_json(event));
  doc["events"] = events;
  doc["events_dropped"] = figures.events_dropped;
  doc["availability"] = figures.availability ? availability_json(*figures.availability) : json(nullptr);
  return doc;
}

}  // namespace tikvbench::report
