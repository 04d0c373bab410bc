// Recorder collects what every operation of a run did, per event-loop thread
// and per operation type: latency histograms (in microseconds) measured from
// the intended start and from the actual send, for successes and failures
// apart, plus counts of late starts (open loop: the operation had to wait
// for an in-flight slot), of keys looked for and not found, and of errors
// by kind with the first message of each kind.
//
// Operations of warm-up phases are kept apart from the recorded ones: each
// interval hands out both, and totals() holds the recorded ones only (the
// headline figures); warmup_totals() the rest. Besides, every operation is
// tallied under the phase that started it (phase_tallies()), with the time
// its last operation ended, so a phase's rate is its operations over the
// time they took.
//
// Per TiKV store, the same figures again (Figures::stores): an operation
// counts for the store of its last attempt, and a multi-key operation split
// over stores counts once for each store it went to (OpRecord::parts), with
// that store's outcome and latency.
// A store's histograms keep 2 significant figures (within 1%: 256
// sub-buckets, 25 buckets, 3,328 counters, 26 KiB each instead of 184),
// so that many stores cost little.
//
// Each thread records into its own slot; a slot's lock is only ever taken by
// its thread and, once per interval, by take_interval(), so recording never
// contends on a global lock. Histograms are made on first use.
//
// Thread safety: record() from slot `slot`'s thread; take_interval() and
// totals() from any one thread at a time.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <span>
#include <string_view>
#include <vector>

#include "measure/histogram.h"
#include "measure/op_type.h"
#include "measure/success_gaps.h"

namespace tikvbench::measure {

// The latency histograms of one operation type.
struct OpFigures {
  std::unique_ptr<Histogram> ok_service;     // successes, from the actual send
  std::unique_ptr<Histogram> ok_intended;    // successes, from the intended start
  std::unique_ptr<Histogram> failed_service; // failures, from the actual send
  uint64_t count = 0;   // successes
  uint64_t errors = 0;  // failures
  // Cancelled while in flight (a stop whose grace time ran out): neither
  // successes nor failures, and without a latency.
  uint64_t cancelled = 0;
  // Keys looked for and not found, by successful operations: a read or scan
  // that found nothing counts 1, a batch get each missing key.
  uint64_t not_found = 0;

  // Adds `other`'s figures to this one's.
  void merge(const OpFigures& other);
  // Back to empty, keeping the histograms made so far (emptied).
  void clear();
  bool empty() const { return count == 0 && errors == 0 && cancelled == 0; }
};

// What the operations that went to one store did.
struct StoreFigures {
  std::array<OpFigures, kOpTypeCount> ops;

  void merge(const StoreFigures& other);
  void clear();
  bool empty() const;
};

// Everything recorded over some span of time.
struct Figures {
  std::array<OpFigures, kOpTypeCount> ops;
  // By store id; a store stays (emptied) once seen, so its histograms are
  // reused interval after interval.
  std::map<uint64_t, StoreFigures> stores;
  uint64_t late = 0;
  std::map<std::string, uint64_t> errors_by_kind;
  // The first message seen of each kind of error ("ApiVersionNotMatched: ...").
  std::map<std::string, std::string> error_examples;

  void merge(const Figures& other);
  // Back to empty, keeping the histograms made so far (emptied), so that a
  // run records each interval into the same memory.
  void clear();
  uint64_t total_count() const;
  uint64_t total_errors() const;
  uint64_t total_cancelled() const;
  uint64_t total_not_found() const;
};

// The operations one phase started, however long they took.
struct PhaseTally {
  uint64_t count = 0;   // successes
  uint64_t errors = 0;  // failures
  uint64_t late = 0;
  std::chrono::nanoseconds last_end{0};  // since the run's start; 0: none ended

  void merge(const PhaseTally& other);
};

// What went of a multi-key operation to one store (its parts there
// together: failed if one failed, ended with the last).
struct StoreShare {
  uint64_t store_id = 0;
  bool ok = true;
  int64_t service_us = 0;   // from the operation's send to the part's end
  int64_t intended_us = 0;  // from the operation's intended start to the part's end
};

// One finished operation, as Recorder::record() takes it.
struct OpRecord {
  OpType op = OpType::kRead;
  bool ok = true;
  bool cancelled = false;   // cancelled in flight: counted apart, nothing else recorded
  int64_t service_us = 0;   // from the send
  int64_t intended_us = 0;  // from the intended start
  uint32_t not_found = 0;   // keys looked for and not found
  std::string_view error_kind;     // failures only
  std::string_view error_message;  // failures only: what the server or client said
  size_t phase = 0;                // the phase that started it (index into the schedule)
  bool warmup = false;             // that phase is a warm-up
  std::chrono::nanoseconds end{0};  // when it ended, since the run's start
  // Where it went: the store of its last attempt (0: unknown, nothing
  // sent), or, when not empty, its parts (a multi-key operation).
  uint64_t store_id = 0;
  std::span<const StoreShare> parts;
};

// One interval's figures, as Recorder::take_interval() hands them out.
struct IntervalFigures {
  const Figures* recorded = nullptr;  // operations of recorded phases
  const Figures* warmup = nullptr;    // operations of warm-up phases
};

// A histogram for latencies: 1 µs to 1 hour at 3 significant digits.
std::unique_ptr<Histogram> make_latency_histogram();
// The same range at 2 significant digits, for a store's figures.
std::unique_ptr<Histogram> make_store_latency_histogram();

class Recorder {
 public:
  // `phases`: how many phases the schedule has (at least 1).
  // `interval`: how often take_interval() comes, at most: the stretches
  // without a success are kept for a few of them (success_gaps.h).
  Recorder(size_t slots, size_t phases, std::chrono::nanoseconds interval = std::chrono::seconds(1));
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // One finished operation.
  void record(size_t slot, const OpRecord& record);
  // An open-loop start of phase `phase` that had to wait for a free
  // in-flight slot.
  void late(size_t slot, size_t phase, bool warmup);

  // Takes what was recorded since the last call (and adds it to the
  // totals). The figures stay valid until the next call; every interval
  // reuses the same histograms, so a long run's memory stays flat.
  // `warmup_only`: takes the warm-up figures only and leaves the recorded
  // ones for the next call (an interval of a warm-up phase whose end saw
  // the first recorded operations finish: they belong to the next one).
  IntervalFigures take_interval(bool warmup_only = false);
  // Everything of recorded phases taken so far.
  const Figures& totals() const { return totals_; }
  // Everything of warm-up phases taken so far.
  const Figures& warmup_totals() const { return warmup_totals_; }
  // Per phase of the schedule, what its operations did (taken so far).
  const std::vector<PhaseTally>& phase_tallies() const { return phase_totals_; }
  // The stretches without a successful operation of a recorded phase
  // (success_gaps.h): record() marks them; the caller settles and reads.
  SuccessGaps& gaps() { return gaps_; }

 private:
  struct Slot {
    std::mutex mu;
    Figures figures;         // Guarded by mu.
    Figures warmup;          // Guarded by mu.
    std::vector<PhaseTally> phases;  // Guarded by mu.
    Figures spare;           // Touched only by take_interval(): the figures last taken.
    Figures spare_warmup;    // Likewise.
  };
  std::vector<std::unique_ptr<Slot>> slots_;
  Figures interval_;         // The last interval taken.
  Figures interval_warmup_;  // Likewise, of warm-up phases.
  Figures totals_;
  Figures warmup_totals_;
  std::vector<PhaseTally> phase_totals_;
  SuccessGaps gaps_;
};

}  // namespace tikvbench::measure
