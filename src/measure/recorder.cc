#include "measure/recorder.h"

#include <algorithm>

namespace tikvbench::measure {
namespace {

constexpr int64_t kLowestUs = 1;
constexpr int64_t kHighestUs = int64_t{3600} * 1'000'000;  // one hour
constexpr int kSignificantDigits = 3;
constexpr int kStoreSignificantDigits = 2;

void merge_into(std::unique_ptr<Histogram>& into, const std::unique_ptr<Histogram>& from) {
  if (!from) return;
  if (!into) {
    into = std::make_unique<Histogram>(from->lowest_discernible_value(), from->highest_trackable_value(),
                                       from->significant_figures());
  }
  into->merge(*from);
}

using HistogramMaker = std::unique_ptr<Histogram> (*)();

void record_into(std::unique_ptr<Histogram>& histogram, int64_t value, HistogramMaker make = make_latency_histogram) {
  if (!histogram) histogram = make();
  histogram->record(value);
}

// One outcome into `figures`: a success's latencies, or a failure's.
void record_outcome(OpFigures& figures, bool ok, int64_t service_us, int64_t intended_us, HistogramMaker make) {
  if (ok) {
    ++figures.count;
    record_into(figures.ok_service, service_us, make);
    record_into(figures.ok_intended, intended_us, make);
  } else {
    ++figures.errors;
    record_into(figures.failed_service, service_us, make);
  }
}

}  // namespace

std::unique_ptr<Histogram> make_latency_histogram() {
  return std::make_unique<Histogram>(kLowestUs, kHighestUs, kSignificantDigits);
}

std::unique_ptr<Histogram> make_store_latency_histogram() {
  return std::make_unique<Histogram>(kLowestUs, kHighestUs, kStoreSignificantDigits);
}

void StoreFigures::merge(const StoreFigures& other) {
  for (size_t i = 0; i < ops.size(); ++i) ops[i].merge(other.ops[i]);
}

void StoreFigures::clear() {
  for (auto& op : ops) op.clear();
}

bool StoreFigures::empty() const {
  return std::all_of(ops.begin(), ops.end(), [](const OpFigures& op) { return op.empty(); });
}

void OpFigures::merge(const OpFigures& other) {
  merge_into(ok_service, other.ok_service);
  merge_into(ok_intended, other.ok_intended);
  merge_into(failed_service, other.failed_service);
  count += other.count;
  errors += other.errors;
  cancelled += other.cancelled;
  not_found += other.not_found;
}

void OpFigures::clear() {
  for (auto* histogram : {&ok_service, &ok_intended, &failed_service}) {
    if (*histogram) (*histogram)->reset();
  }
  count = 0;
  errors = 0;
  cancelled = 0;
  not_found = 0;
}

void Figures::clear() {
  for (auto& op : ops) op.clear();
  for (auto& [id, store] : stores) store.clear();
  late = 0;
  errors_by_kind.clear();
  error_examples.clear();
}

void Figures::merge(const Figures& other) {
  for (size_t i = 0; i < ops.size(); ++i) ops[i].merge(other.ops[i]);
  for (const auto& [id, store] : other.stores) {
    if (!store.empty()) stores[id].merge(store);
  }
  late += other.late;
  for (const auto& [kind, n] : other.errors_by_kind) errors_by_kind[kind] += n;
  for (const auto& [kind, message] : other.error_examples) error_examples.try_emplace(kind, message);
}

uint64_t Figures::total_count() const {
  uint64_t n = 0;
  for (const auto& op : ops) n += op.count;
  return n;
}

uint64_t Figures::total_errors() const {
  uint64_t n = 0;
  for (const auto& op : ops) n += op.errors;
  return n;
}

uint64_t Figures::total_cancelled() const {
  uint64_t n = 0;
  for (const auto& op : ops) n += op.cancelled;
  return n;
}

uint64_t Figures::total_not_found() const {
  uint64_t n = 0;
  for (const auto& op : ops) n += op.not_found;
  return n;
}

void PhaseTally::merge(const PhaseTally& other) {
  count += other.count;
  errors += other.errors;
  late += other.late;
  last_end = std::max(last_end, other.last_end);
}

Recorder::Recorder(size_t slots, size_t phases, std::chrono::nanoseconds interval)
    : phase_totals_(std::max<size_t>(1, phases)),
      gaps_(std::max<std::chrono::nanoseconds>(std::chrono::seconds(64), 4 * interval)) {
  for (size_t i = 0; i < slots; ++i) {
    slots_.push_back(std::make_unique<Slot>());
    slots_.back()->phases.resize(phase_totals_.size());
  }
}

void Recorder::record(size_t slot, const OpRecord& record) {
  auto& s = *slots_[slot];
  std::lock_guard lock(s.mu);
  auto& all = record.warmup ? s.warmup : s.figures;
  auto& figures = all.ops[static_cast<size_t>(record.op)];
  if (record.cancelled) {  // neither a success nor a failure: no latency, no phase tally
    ++figures.cancelled;
    if (record.store_id != 0) ++all.stores[record.store_id].ops[static_cast<size_t>(record.op)].cancelled;
    return;
  }
  if (!record.parts.empty()) {
    for (const auto& part : record.parts) {
      auto& store = all.stores[part.store_id].ops[static_cast<size_t>(record.op)];
      record_outcome(store, part.ok, part.service_us, part.intended_us, make_store_latency_histogram);
    }
  } else if (record.store_id != 0) {
    auto& store = all.stores[record.store_id].ops[static_cast<size_t>(record.op)];
    record_outcome(store, record.ok, record.service_us, record.intended_us, make_store_latency_histogram);
    if (record.ok) store.not_found += record.not_found;
  }
  auto& tally = s.phases[std::min(record.phase, s.phases.size() - 1)];
  tally.last_end = std::max(tally.last_end, record.end);
  if (record.ok) {
    if (!record.warmup) gaps_.success(record.end);
    ++figures.count;
    ++tally.count;
    figures.not_found += record.not_found;
    record_into(figures.ok_service, record.service_us);
    record_into(figures.ok_intended, record.intended_us);
  } else {
    ++figures.errors;
    ++tally.errors;
    record_into(figures.failed_service, record.service_us);
    const std::string kind(record.error_kind);
    ++all.errors_by_kind[kind];
    if (!record.error_message.empty()) all.error_examples.try_emplace(kind, record.error_message);
  }
}

void Recorder::late(size_t slot, size_t phase, bool warmup) {
  auto& s = *slots_[slot];
  std::lock_guard lock(s.mu);
  ++(warmup ? s.warmup : s.figures).late;
  ++s.phases[std::min(phase, s.phases.size() - 1)].late;
}

IntervalFigures Recorder::take_interval(bool warmup_only) {
  interval_.clear();
  interval_warmup_.clear();
  for (auto& slot : slots_) {
    {
      // The slot goes on recording into the histograms emptied last time.
      std::lock_guard lock(slot->mu);
      if (!warmup_only) std::swap(slot->spare, slot->figures);
      std::swap(slot->spare_warmup, slot->warmup);
      for (size_t i = 0; i < slot->phases.size(); ++i) {
        phase_totals_[i].merge(slot->phases[i]);
        slot->phases[i] = PhaseTally{};
      }
    }
    interval_.merge(slot->spare);
    interval_warmup_.merge(slot->spare_warmup);
    slot->spare.clear();
    slot->spare_warmup.clear();
  }
  totals_.merge(interval_);
  warmup_totals_.merge(interval_warmup_);
  return {&interval_, &interval_warmup_};
}

}  // namespace tikvbench::measure
