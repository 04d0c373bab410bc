#include "workload/spec.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace tikvbench::workload {
namespace {

[[noreturn]] void fail(const WorkloadSpec& spec, std::string_view field, std::string_view problem) {
  throw std::invalid_argument(fmt::format("{}: {}: {}", spec.source.empty() ? "workload" : spec.source, field, problem));
}

void check_length(const WorkloadSpec& spec, std::string_view field, const LengthSpec& length) {
  if (length.max < 0 || length.min < 0) fail(spec, field, "lengths must not be negative");
  if (length.kind != LengthDistribution::kConstant && length.min > length.max) {
    fail(spec, field, fmt::format("min ({}) is above max ({})", length.min, length.max));
  }
}

void check_phase(const WorkloadSpec& spec, const Phase& phase, size_t index) {
  const auto field = fmt::format("phases[{}]{}", index, phase.name.empty() ? "" : " (" + phase.name + ")");
  if (phase.duration.count() <= 0) fail(spec, field, "a phase needs a duration above 0");
  const auto check_level = [&](double level) {
    if (phase.kind == LoadKind::kRate && !(level > 0)) fail(spec, field, "a rate must be above 0");
    if (phase.kind == LoadKind::kConcurrency && !(level >= 1)) fail(spec, field, "a concurrency must be at least 1");
  };
  switch (phase.shape) {
    case PhaseShape::kConstant: check_level(phase.from); break;
    case PhaseShape::kRamp:
      check_level(phase.from);
      check_level(phase.to);
      break;
    case PhaseShape::kSteps:
      if (phase.steps.empty()) fail(spec, field, "steps need at least one level");
      for (double step : phase.steps) check_level(step);
      break;
  }
}

}  // namespace

double Phase::level_at(std::chrono::nanoseconds t) const {
  switch (shape) {
    case PhaseShape::kConstant: return from;
    case PhaseShape::kRamp: {
      const double fraction = duration.count() > 0 ? static_cast<double>(t.count()) / static_cast<double>(duration.count()) : 1.0;
      return from + (to - from) * std::clamp(fraction, 0.0, 1.0);
    }
    case PhaseShape::kSteps: {
      const auto n = static_cast<int64_t>(steps.size());
      const auto index = duration.count() > 0 ? t.count() * n / duration.count() : n - 1;
      return steps[static_cast<size_t>(std::clamp<int64_t>(index, 0, n - 1))];
    }
  }
  return from;
}

void validate(const WorkloadSpec& spec) {
  const auto& keys = spec.keyspace;
  if (keys.record_count < 0) fail(spec, "recordcount", "must not be negative");
  double reads = 0;
  for (size_t i = 0; i < kOpTypeCount; ++i) {
    if (static_cast<OpType>(i) != OpType::kInsert) reads += spec.mix.weight[i];
  }
  if (keys.resolved_insert_count() < 1 && reads > 0) {
    fail(spec, "recordcount", "no records to read or update: give a record count of at least 1");
  }
  if (keys.insert_start < 0) fail(spec, "insertstart", "must not be negative");
  if (keys.resolved_insert_count() < 0) fail(spec, "insertcount", "must not be negative");
  if (keys.zero_padding < 1 || keys.zero_padding > 64) fail(spec, "zeropadding", "must be between 1 and 64");
  if (spec.values.field_count < 1) fail(spec, "fieldcount", "must be at least 1");
  check_length(spec, "fieldlength", spec.values.field_length);
  if (spec.values.value_size) check_length(spec, "value_size", *spec.values.value_size);
  check_length(spec, "scan length", spec.scan_length);
  if (spec.scan_length.max < 1) fail(spec, "maxscanlength", "a scan length must be at least 1");
  if (spec.scan_length.kind != LengthDistribution::kConstant && spec.scan_length.min < 1) {
    fail(spec, "minscanlength", "a scan length must be at least 1");
  }
  double sum = 0;
  for (size_t i = 0; i < kOpTypeCount; ++i) {
    if (spec.mix.weight[i] < 0) fail(spec, kOpTypeNames[i], "a proportion must not be negative");
    sum += spec.mix.weight[i];
  }
  if (!(sum > 0)) fail(spec, "operations", "the proportions sum to 0: nothing to run");
  if (spec.mix.batch_size < 1) fail(spec, "batch_size", "must be at least 1");
  const auto& dist = spec.request_distribution;
  if (dist.zipfian_theta <= 0 || dist.zipfian_theta == 1.0) {
    fail(spec, "zipfian theta", "must be above 0 and not 1");
  }
  if (dist.hotspot_data_fraction < 0 || dist.hotspot_data_fraction > 1) fail(spec, "hotspotdatafraction", "must be in [0, 1]");
  if (dist.hotspot_opn_fraction < 0 || dist.hotspot_opn_fraction > 1) fail(spec, "hotspotopnfraction", "must be in [0, 1]");
  if (dist.exponential_percentile <= 0 || dist.exponential_percentile >= 100) {
    fail(spec, "exponential.percentile", "must be in (0, 100)");
  }
  if (dist.exponential_frac <= 0) fail(spec, "exponential.frac", "must be above 0");
  if (spec.load_kind == LoadKind::kRate && !(spec.load_level > 0)) fail(spec, "rate", "must be above 0");
  if (spec.load_kind == LoadKind::kConcurrency && !(spec.load_level >= 1)) fail(spec, "concurrency", "must be at least 1");
  if (spec.max_inflight < 1) fail(spec, "max_inflight", "must be at least 1");
  for (size_t i = 0; i < spec.phases.size(); ++i) check_phase(spec, spec.phases[i], i);
  if (spec.warmup.count() < 0) fail(spec, "warmup", "must not be negative");
  if (spec.bounds.duration && spec.bounds.duration->count() <= 0) fail(spec, "duration", "must be above 0");
  if (spec.bounds.operations && *spec.bounds.operations < 0) fail(spec, "operations", "must not be negative");
  if (spec.load_threads < 0) fail(spec, "load_threads", "must not be negative");
}

}  // namespace tikvbench::workload
