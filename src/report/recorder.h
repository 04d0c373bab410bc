// Recorder collects what every operation of a run did, per event-loop thread
// and per operation type: latency histograms (in microseconds) measured from
// the intended start and from the actual send, for successes and failures
// apart, plus counts of late starts (open loop: the operation had to wait
// for an in-flight slot) and of errors by kind.
//
// Each thread records into its own slot; a slot's lock is only ever taken by
// its thread and, once per interval, by take_interval(), so recording never
// contends on a global lock. Histograms are made on first use.
//
// Thread safety: record() from slot `slot`'s thread; take_interval() and
// totals() from any one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "report/histogram.h"
#include "workload/spec.h"

namespace tikvbench::report {

// The latency histograms of one operation type.
struct OpFigures {
  std::unique_ptr<Histogram> ok_service;     // successes, from the actual send
  std::unique_ptr<Histogram> ok_intended;    // successes, from the intended start
  std::unique_ptr<Histogram> failed_service; // failures, from the actual send
  uint64_t count = 0;   // successes
  uint64_t errors = 0;  // failures

  // Adds `other`'s figures to this one's.
  void merge(const OpFigures& other);
  // Back to empty, keeping the histograms made so far (emptied).
  void clear();
  bool empty() const { return count == 0 && errors == 0; }
};

// Everything recorded over some span of time.
struct Figures {
  std::array<OpFigures, workload::kOpTypeCount> ops;
  uint64_t late = 0;
  std::map<std::string, uint64_t> errors_by_kind;

  void merge(const Figures& other);
  // Back to empty, keeping the histograms made so far (emptied), so that a
  // run records each interval into the same memory.
  void clear();
  uint64_t total_count() const;
  uint64_t total_errors() const;
};

// A histogram for latencies: 1 µs to 1 hour at 3 significant digits.
std::unique_ptr<Histogram> make_latency_histogram();

class Recorder {
 public:
  explicit Recorder(size_t slots);
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // One finished operation. `error_kind` names the failure (empty when ok).
  void record(size_t slot, workload::OpType op, bool ok, int64_t service_us, int64_t intended_us,
              std::string_view error_kind = {});
  // An open-loop start that had to wait for a free in-flight slot.
  void late(size_t slot);

  // Takes what was recorded since the last call (and adds it to the
  // totals). The figures stay valid until the next call; every interval
  // reuses the same histograms, so a long run's memory stays flat.
  const Figures& take_interval();
  // Everything taken so far.
  const Figures& totals() const { return totals_; }

 private:
  struct Slot {
    std::mutex mu;
    Figures figures;  // Guarded by mu.
    Figures spare;    // Touched only by take_interval(): the figures last taken.
  };
  std::vector<std::unique_ptr<Slot>> slots_;
  Figures interval_;  // The last interval taken.
  Figures totals_;
};

}  // namespace tikvbench::report
