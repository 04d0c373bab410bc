#include "report/recorder.h"

namespace tikvbench::report {
namespace {

constexpr int64_t kLowestUs = 1;
constexpr int64_t kHighestUs = int64_t{3600} * 1'000'000;  // one hour
constexpr int kSignificantDigits = 3;

void merge_into(std::unique_ptr<Histogram>& into, const std::unique_ptr<Histogram>& from) {
  if (!from) return;
  if (!into) into = make_latency_histogram();
  into->merge(*from);
}

void record_into(std::unique_ptr<Histogram>& histogram, int64_t value) {
  if (!histogram) histogram = make_latency_histogram();
  histogram->record(value);
}

}  // namespace

std::unique_ptr<Histogram> make_latency_histogram() {
  return std::make_unique<Histogram>(kLowestUs, kHighestUs, kSignificantDigits);
}

void OpFigures::merge(const OpFigures& other) {
  merge_into(ok_service, other.ok_service);
  merge_into(ok_intended, other.ok_intended);
  merge_into(failed_service, other.failed_service);
  count += other.count;
  errors += other.errors;
}

void OpFigures::clear() {
  for (auto* histogram : {&ok_service, &ok_intended, &failed_service}) {
    if (*histogram) (*histogram)->reset();
  }
  count = 0;
  errors = 0;
}

void Figures::clear() {
  for (auto& op : ops) op.clear();
  late = 0;
  errors_by_kind.clear();
}

void Figures::merge(const Figures& other) {
  for (size_t i = 0; i < ops.size(); ++i) ops[i].merge(other.ops[i]);
  late += other.late;
  for (const auto& [kind, n] : other.errors_by_kind) errors_by_kind[kind] += n;
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

Recorder::Recorder(size_t slots) {
  for (size_t i = 0; i < slots; ++i) slots_.push_back(std::make_unique<Slot>());
}

void Recorder::record(size_t slot, workload::OpType op, bool ok, int64_t service_us, int64_t intended_us,
                      std::string_view error_kind) {
  auto& s = *slots_[slot];
  std::lock_guard lock(s.mu);
  auto& figures = s.figures.ops[static_cast<size_t>(op)];
  if (ok) {
    ++figures.count;
    record_into(figures.ok_service, service_us);
    record_into(figures.ok_intended, intended_us);
  } else {
    ++figures.errors;
    record_into(figures.failed_service, service_us);
    ++s.figures.errors_by_kind[std::string(error_kind)];
  }
}

void Recorder::late(size_t slot) {
  auto& s = *slots_[slot];
  std::lock_guard lock(s.mu);
  ++s.figures.late;
}

const Figures& Recorder::take_interval() {
  interval_.clear();
  for (auto& slot : slots_) {
    {
      // The slot goes on recording into the histograms emptied last time.
      std::lock_guard lock(slot->mu);
      std::swap(slot->spare, slot->figures);
    }
    interval_.merge(slot->spare);
    slot->spare.clear();
  }
  totals_.merge(interval_);
  return interval_;
}

}  // namespace tikvbench::report
