#include "workload/runner.h"

#include <algorithm>
#include <cmath>

#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "workload/loop_task_group.h"
#include "workload/operation_executor.h"
#include "workload/phase_results.h"
#include "workload/schedule.h"
#include "workload/verified_value.h"

namespace tikvbench::workload {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
constexpr auto kUseAwaitable = asio::experimental::as_tuple(asio::use_awaitable);
// How often idle workers and pacers look at the clock and the stop flag.
constexpr auto kIdleCheck = 20ms;
// Load inserts that fail are tried this many times in all.
constexpr int kInsertAttempts = 3;
// A pacer behind schedule yields to its loop after this many starts.
constexpr uint64_t kYieldEvery = 16;
// The load's concurrency when the workload does not say.
constexpr int64_t kDefaultLoadConcurrency = 64;
// How far behind the interval's end the stretches without successes are
// settled: a success is marked just after it ends, never this late.
constexpr auto kGapSettleMargin = 250ms;

int64_t micros(Clock::duration d) { return std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::microseconds>(d).count()); }

std::string error_kind(const Status& status) { return std::string(status_code_name(status.code())); }

}  // namespace

// Everything the coroutines of one run share.
class Runner::State {
 public:
  State(const WorkloadSpec& spec, tikv::RawClient& raw, rpc::EventLoops& loops, const RunnerOptions& options)
      : spec_(spec),
        raw_(raw),
        loops_(loops),
        options_(options),
        schedule_(spec, 1.0 / static_cast<double>(options.shard.count)),
        source_(spec, options.shard),
        recorder_(loops.size(), options.mode == RunMode::kLoad ? 1 : schedule_.phases().size(),
                  options.status_interval),
        owned_verify_(options.verify == nullptr && spec.verify ? make_verify(spec) : nullptr),
        verify_(options.verify != nullptr ? options.verify : owned_verify_.get()),
        executor_(raw, source_, verify_),
        counts_(loops.size()),
        tasks_(loops) {}

  RunResult run();

 private:
  // Per event loop: its pacer's in-flight count and the timer it waits on
  // for a free slot. Touched only on that loop, and on a cache line of its
  // own.
  struct alignas(64) Loop {
    size_t index = 0;
    uint64_t inflight = 0;
    std::unique_ptr<asio::steady_timer> slot_free;
    bool waiting_for_slot = false;
  };

  asio::awaitable<void> load_worker(size_t slot, uint64_t seed);
  asio::awaitable<void> closed_worker(size_t slot, size_t index, uint64_t seed);
  asio::awaitable<void> pacer(size_t slot, uint64_t seed);
  asio::awaitable<void> open_operation(Operation op, size_t slot, Clock::time_point intended, size_t phase);
  // A run on its own checks against every record of the load: every
  // instance of a sharded run loaded its slice, so the whole load range
  // counts as loaded.
  static std::unique_ptr<VerifyTracker> make_verify(const WorkloadSpec& spec) {
    const auto& keys = spec.keyspace;
    return std::make_unique<VerifyTracker>(keys.insert_start, keys.insert_start + keys.resolved_insert_count());
  }

  // Takes one operation from the bound; false when the run is over.
  bool claim() {
    if (finished()) return false;
    if (spec_.bounds.operations) {
      if (claimed_.fetch_add(1, std::memory_order_relaxed) >= *spec_.bounds.operations) {
        over_.store(true);
        return false;
      }
    }
    return true;
  }
  bool finished() const {
    return over_.load(std::memory_order_relaxed) ||
           (options_.stop != nullptr && options_.stop->load(std::memory_order_relaxed));
  }
  // The phase at `t`, or nullopt when the schedule ended.
  std::optional<size_t> phase_at(Clock::time_point t) const { return schedule_.phase_at(t - start_); }
  // Records a finished operation under `phase`, the phase that started it.
  void record(size_t slot, OpType type, const OpOutcome& outcome, Clock::time_point intended, Clock::time_point sent,
              size_t phase) {
    const auto end = Clock::now();
    measure::OpRecord r;
    r.op = type;
    r.ok = outcome.status.ok();
    r.cancelled = outcome.status.code() == StatusCode::kCancelled;
    r.service_us = micros(end - sent);
    r.intended_us = micros(end - intended);
    r.not_found = outcome.not_found;
    std::string kind;
    if (!r.ok) {
      kind = error_kind(outcome.status);
      r.error_kind = kind;
      r.error_message = outcome.status.message();
    }
    r.phase = phase;
    r.warmup = warmup_phase(phase);
    r.end = end - start_;
    r.store_id = outcome.trace.last_store;
    // A multi-key operation counts once for each store it went to: failed
    // if a part there failed, timed to the last part's answer there.
    std::vector<measure::StoreShare> parts;  // no allocation for single-key operations
    for (const auto& part : outcome.trace.parts) {
      auto share = std::find_if(parts.begin(), parts.end(), [&](const auto& s) { return s.store_id == part.store_id; });
      if (share == parts.end()) share = parts.insert(parts.end(), measure::StoreShare{part.store_id, true, 0, 0});
      share->ok = share->ok && part.ok;
      share->service_us = std::max(share->service_us, micros(part.end - sent));
      share->intended_us = std::max(share->intended_us, micros(part.end - intended));
    }
    r.parts = parts;
    recorder_.record(slot, r);
  }
  // Where the stretches without successes end, seen at `now`: the run's
  // time ends at a stop, or where the schedule ran out (not in the drain).
  std::chrono::nanoseconds gaps_end(std::optional<Clock::time_point> stop_seen, Clock::time_point now) const {
    auto end = std::chrono::duration_cast<std::chrono::nanoseconds>(now - start_);
    if (stop_seen) return std::min(end, std::chrono::duration_cast<std::chrono::nanoseconds>(*stop_seen - start_));
    if (const auto total = schedule_.total()) end = std::min(end, *total);
    return end;
  }
  bool warmup_phase(size_t phase) const {
    return options_.mode == RunMode::kRun && phase < schedule_.phases().size() && schedule_.phases()[phase].warmup;
  }
  // The interval [begin, now): what the status line shows of it.
  IntervalStatus status_of(Clock::time_point begin, Clock::time_point now, bool drain,
                           const measure::IntervalFigures& figures) const;
  EndedBy ended_by() const;

  const WorkloadSpec& spec_;
  tikv::RawClient& raw_;
  rpc::EventLoops& loops_;
  const RunnerOptions& options_;
  const Schedule schedule_;
  OperationSource source_;
  measure::Recorder recorder_;
  std::unique_ptr<VerifyTracker> owned_verify_;
  VerifyTracker* const verify_;  // null: no checking
  OperationExecutor executor_;
  std::vector<Loop> pacers_;  // one per loop; each touched only on its loop
  // Per event loop, each on its own cache line: operations started and in
  // flight. Every operation bumps them, so a shared count would bounce its
  // line between the loops' cores.
  struct alignas(64) LoopCounts {
    std::atomic<uint64_t> started{0};
    std::atomic<int64_t> inflight{0};
  };
  std::vector<LoopCounts> counts_;
  uint64_t started() const;
  int64_t inflight() const;

  Clock::time_point start_;
  std::atomic<bool> over_{false};
  alignas(64) std::atomic<int64_t> claimed_{0};  // apart from over_, which every operation reads
  LoopTaskGroup tasks_;  // Last: its tasks use everything above.
};

Runner::Runner(const WorkloadSpec& spec, tikv::RawClient& raw, rpc::EventLoops& loops, RunnerOptions options)
    : spec_(spec), raw_(raw), loops_(loops), options_(std::move(options)) {}

Runner::~Runner() = default;

RunResult Runner::run() {
  return std::make_unique<State>(spec_, raw_, loops_, options_)->run();
}

asio::awaitable<void> Runner::State::load_worker(size_t slot, uint64_t seed) {
  co_await asio::this_coro::throw_if_cancelled(false);  // a cancellation ends the operation, not the worker
  Rng rng(seed);
  while (!finished()) {
    const auto next = source_.next_load_record();
    if (!next) break;
    auto& counts = counts_[slot];
    counts.started.fetch_add(1, std::memory_order_relaxed);
    counts.inflight.fetch_add(1, std::memory_order_relaxed);
    const auto sent = Clock::now();
    Status status;
    tikv::OpTrace trace;
    for (int attempt = 0; attempt < kInsertAttempts && !finished(); ++attempt) {
      // A retry re-sends the same record: a failed insert may not have been
      // stored, a successful one is never repeated.
      auto key = source_.row_key(*next);
      auto payload = source_.make_value(rng);
      if (verify_) payload = seal_value(key, 1, payload);
      status = co_await raw_.put(std::move(key), std::move(payload), &trace);
      if (status.ok() || status.code() == StatusCode::kCancelled) break;
    }
    counts.inflight.fetch_sub(1, std::memory_order_relaxed);
    record(slot, OpType::kInsert, OpOutcome{std::move(status), 0, std::move(trace)}, sent, sent, 0);
  }
}

asio::awaitable<void> Runner::State::closed_worker(size_t slot, size_t index, uint64_t seed) {
  co_await asio::this_coro::throw_if_cancelled(false);
  Rng rng(seed);
  asio::steady_timer idle(co_await asio::this_coro::executor);
  while (!finished()) {
    const auto now = Clock::now();
    const auto phase = phase_at(now);
    if (!phase) break;
    const auto& p = schedule_.phases()[*phase];
    const bool active = p.kind == LoadKind::kConcurrency &&
                        static_cast<double>(index) < std::floor(schedule_.level_at(now - start_) + 1e-9);
    if (!active) {
      auto wake = now + kIdleCheck;
      if (p.duration != std::chrono::nanoseconds::max()) {
        wake = std::min(wake, start_ + schedule_.phase_start(*phase) + p.duration);
      }
      idle.expires_at(wake);
      co_await idle.async_wait(kUseAwaitable);
      continue;
    }
    if (!claim()) break;
    auto op = source_.next(rng);
    auto& counts = counts_[slot];
    counts.started.fetch_add(1, std::memory_order_relaxed);
    counts.inflight.fetch_add(1, std::memory_order_relaxed);
    const auto sent = Clock::now();
    const auto outcome = co_await executor_.execute(op, rng);
    counts.inflight.fetch_sub(1, std::memory_order_relaxed);
    record(slot, op.type, outcome, sent, sent, *phase);
  }
}

asio::awaitable<void> Runner::State::open_operation(Operation op, size_t slot, Clock::time_point intended,
                                                    size_t phase) {
  co_await asio::this_coro::throw_if_cancelled(false);
  Rng rng(static_cast<uint64_t>(intended.time_since_epoch().count()) ^ (slot << 56));
  const auto sent = Clock::now();
  const auto outcome = co_await executor_.execute(op, rng);
  record(slot, op.type, outcome, intended, sent, phase);
  counts_[slot].inflight.fetch_sub(1, std::memory_order_relaxed);
  auto& loop = pacers_[slot];
  --loop.inflight;
  if (loop.waiting_for_slot) loop.slot_free->cancel();
}

asio::awaitable<void> Runner::State::pacer(size_t slot, uint64_t seed) {
  co_await asio::this_coro::throw_if_cancelled(false);
  Rng rng(seed);
  auto& loop = pacers_[slot];
  loop.slot_free = std::make_unique<asio::steady_timer>(co_await asio::this_coro::executor);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto loops = static_cast<double>(loops_.size());
  // This loop's share of the in-flight cap.
  const uint64_t cap = std::max<uint64_t>(1, spec_.max_inflight / loops_.size() +
                                                 (slot < spec_.max_inflight % loops_.size() ? 1 : 0));
  // The open-loop stream is dealt round-robin: this loop starts operations
  // slot, slot + L, slot + 2L, ... so the loops interleave without bursts.
  uint64_t behind = 0;  // starts made without sleeping first
  for (uint64_t j = 0;; ++j) {
    const auto at = schedule_.start_of(static_cast<double>(slot) + static_cast<double>(j) * loops);
    if (!at) break;
    const auto intended = start_ + std::chrono::duration_cast<Clock::duration>(*at);
    // Sleep until the start, looking at the stop flag now and then.
    if (Clock::now() < intended) behind = 0;
    while (!finished() && Clock::now() < intended) {
      timer.expires_at(std::min(intended, Clock::now() + kIdleCheck * 5));
      co_await timer.async_wait(kUseAwaitable);
    }
    if (!claim()) break;
    const size_t phase = phase_at(intended).value_or(schedule_.phases().size() - 1);
    if (loop.inflight >= cap) {
      // Late: the start queues for a slot; its latency counts from `intended`.
      recorder_.late(slot, phase, warmup_phase(phase));
      while (loop.inflight >= cap && !finished()) {
        loop.waiting_for_slot = true;
        loop.slot_free->expires_after(kIdleCheck * 5);
        co_await loop.slot_free->async_wait(kUseAwaitable);
        loop.waiting_for_slot = false;
      }
      if (finished()) break;
    }
    auto op = source_.next(rng);
    ++loop.inflight;
    counts_[slot].started.fetch_add(1, std::memory_order_relaxed);
    counts_[slot].inflight.fetch_add(1, std::memory_order_relaxed);
    tasks_.spawn(slot, open_operation(std::move(op), slot, intended, phase));
    if (++behind % kYieldEvery == 0) {
      // Behind schedule, the loop above never sleeps: let the operations
      // just started, and the completions, run in between.
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    }
  }
}

EndedBy Runner::State::ended_by() const {
  if (options_.stop != nullptr && options_.stop->load()) return EndedBy::kStop;
  if (options_.mode == RunMode::kLoad) return EndedBy::kRecords;
  if (over_.load()) return EndedBy::kOperations;
  // The schedule ran out: by the duration bound when it set or cut the phases.
  if (spec_.bounds.duration) {
    if (spec_.phases.empty()) return EndedBy::kDuration;
    std::chrono::nanoseconds phases = spec_.warmup;
    for (const auto& phase : spec_.phases) phases += phase.duration;
    if (*spec_.bounds.duration < phases) return EndedBy::kDuration;
  }
  return EndedBy::kPhases;
}

uint64_t Runner::State::started() const {
  uint64_t total = 0;
  for (const auto& counts : counts_) total += counts.started.load(std::memory_order_relaxed);
  return total;
}

int64_t Runner::State::inflight() const {
  int64_t total = 0;
  for (const auto& counts : counts_) total += counts.inflight.load(std::memory_order_relaxed);
  return total;
}

IntervalStatus Runner::State::status_of(Clock::time_point begin, Clock::time_point now, bool drain,
                                        const measure::IntervalFigures& figures) const {
  IntervalStatus status;
  status.elapsed = now - start_;
  status.length = now - begin;
  status.inflight = static_cast<uint64_t>(std::max<int64_t>(0, inflight()));
  status.figures = figures.recorded;
  const auto& recorded = recorder_.totals();
  const auto& warmup = recorder_.warmup_totals();
  status.done = recorded.total_count() + recorded.total_errors() + warmup.total_count() + warmup.total_errors();
  if (options_.mode == RunMode::kLoad) {
    status.phase = "load";
    status.load = true;
    status.kind = LoadKind::kConcurrency;
    status.done_bound = static_cast<uint64_t>(std::max<int64_t>(0, source_.load_end() - source_.load_begin()));
    status.drain = drain;
    return status;
  }
  if (spec_.bounds.operations) status.done_bound = static_cast<uint64_t>(*spec_.bounds.operations);
  // The interval lies within one phase (it ends at boundaries): the phase
  // it began in.
  const auto phase = drain ? std::nullopt : phase_at(begin);
  if (!phase) {
    status.phase = "drain";
    status.drain = true;
    return status;
  }
  const auto& p = schedule_.phases()[*phase];
  status.phase = p.name;
  status.warmup = p.warmup;
  if (p.warmup) status.figures = figures.warmup;
  status.kind = p.kind;
  // The level at the interval's end, or at its phase's last instant when
  // the interval ended on the boundary.
  auto at = now - start_;
  if (p.duration != std::chrono::nanoseconds::max()) {
    at = std::min(at, schedule_.phase_start(*phase) + p.duration - std::chrono::nanoseconds(1));
  }
  status.level = schedule_.level_at(at);
  if (p.kind == LoadKind::kRate && status.length.count() > 0) {
    status.target_ops_per_sec = (schedule_.scheduled_before(now - start_) - schedule_.scheduled_before(begin - start_)) /
                                std::chrono::duration<double>(status.length).count();
  }
  if (p.duration != std::chrono::nanoseconds::max()) {
    status.phase_left = std::max(std::chrono::nanoseconds{0}, schedule_.phase_start(*phase) + p.duration - (now - start_));
    status.phase_length = p.duration;
  }
  if (const auto total = schedule_.total()) {
    status.run_left = std::max(std::chrono::nanoseconds{0}, *total - (now - start_));
    status.run_length = *total;
  }
  return status;
}

RunResult Runner::State::run() {
  start_ = Clock::now();
  const size_t loops = loops_.size();
  pacers_.resize(loops);
  uint64_t seed = options_.seed;
  const auto next_seed = [&] { return seed += 0x9e3779b97f4a7c15ULL; };
  if (options_.mode == RunMode::kLoad) {
    const int64_t workers = spec_.load_threads > 0                            ? spec_.load_threads
                            : spec_.load_kind == LoadKind::kConcurrency ? static_cast<int64_t>(spec_.load_level)
                                                                        : kDefaultLoadConcurrency;
    for (int64_t i = 0; i < std::max<int64_t>(1, workers); ++i) {
      const size_t slot = static_cast<size_t>(i) % loops;
      tasks_.spawn_made_on_loop(slot, [this, slot, seed = next_seed()] { return load_worker(slot, seed); });
    }
  } else {
    // Closed-loop workers for the highest concurrency any phase asks for;
    // those above the current level idle.
    const auto workers = static_cast<size_t>(schedule_.max_concurrency());
    for (size_t i = 0; i < workers; ++i) {
      tasks_.spawn_made_on_loop(i % loops,
                         [this, i, slot = i % loops, seed = next_seed()] { return closed_worker(slot, i, seed); });
    }
    if (schedule_.open_loop()) {
      for (size_t slot = 0; slot < loops; ++slot) {
        tasks_.spawn_made_on_loop(slot, [this, slot, seed = next_seed()] { return pacer(slot, seed); });
      }
    }
  }

  auto last = start_;
  std::optional<Clock::time_point> stop_seen;
  bool ended = false;  // the run has ended: later intervals are the drain
  uint64_t cancelled_in_flight = 0;
  for (;;) {
    auto until = last + options_.status_interval;
    if (options_.mode == RunMode::kRun) {
      if (const auto boundary = schedule_.next_boundary(last - start_)) until = std::min(until, start_ + *boundary);
    }
    if (stop_seen) until = std::min(until, *stop_seen + options_.grace);
    tasks_.wait_until_idle(until);
    const auto now = Clock::now();
    if (!stop_seen && finished() && options_.stop != nullptr && options_.stop->load()) stop_seen = now;
    bool done = tasks_.running() == 0;
    if (!done && stop_seen && now >= *stop_seen + options_.grace) {
      // Stop starting anything (closed-loop workers check this too), cancel
      // what is in flight and wait for it: each cancelled operation is
      // recorded as such before its task ends.
      over_.store(true);
      cancelled_in_flight = static_cast<uint64_t>(std::max<int64_t>(0, inflight()));
      tasks_.cancel_all();
      tasks_.wait_until_idle(Clock::time_point::max());
      done = true;
    }
    // A warm-up interval leaves recorded operations that finished in it
    // (the first of the next phase, before this thread woke) to the next.
    const auto begin_phase = ended ? std::nullopt : phase_at(last);
    const bool warmup_interval = !done && begin_phase && warmup_phase(*begin_phase);
    const auto figures = recorder_.take_interval(warmup_interval);
    if (warmup_interval) {
      // A warm-up is no stretch without successes: its time is left out.
      const auto boundary = schedule_.next_boundary(last - start_);
      recorder_.gaps().skip_to(boundary ? std::min(*boundary, now - start_) : now - start_);
    } else {
      // Successes are marked just after they end: settle only what no
      // late mark can change, and never into the drain.
      recorder_.gaps().settle(std::min(now - start_ - kGapSettleMargin, gaps_end(stop_seen, now)));
    }
    const auto status = status_of(last, now, ended, figures);
    // A drain in which nothing finished and nothing is left is only the
    // workers leaving: not an interval of the run.
    const bool empty_drain = status.drain && status.inflight == 0 &&
                             figures.recorded->total_count() + figures.recorded->total_errors() == 0;
    if (options_.on_interval && !empty_drain) options_.on_interval(status);
    last = now;
    if (done) break;
    // Once stopped, keep reporting while the operations in flight finish.
    ended = ended || finished() || (options_.mode == RunMode::kRun && !phase_at(now));
  }
  tasks_.rethrow_failure();
  RunResult result;
  result.elapsed = last - start_;
  result.ended_by = ended_by();
  if (result.ended_by == EndedBy::kPhases || result.ended_by == EndedBy::kDuration) {
    // The schedule ran out: the run lasted it all, even when its last
    // operation (started before the end) finished before the end.
    if (const auto total = schedule_.total()) result.elapsed = std::max(result.elapsed, *total);
  }
  result.recorded =
      result.elapsed - (options_.mode == RunMode::kRun ? schedule_.warmup_before(result.elapsed) : std::chrono::nanoseconds{0});
  recorder_.take_interval();
  recorder_.gaps().settle(gaps_end(stop_seen, last));
  const auto gap = recorder_.gaps().longest();
  result.longest_gap = gap.length;
  result.longest_gap_start = gap.start;
  result.totals.merge(recorder_.totals());
  result.warmup.merge(recorder_.warmup_totals());
  result.phases = options_.mode == RunMode::kLoad
                      ? std::vector<PhaseResult>{load_result(recorder_.phase_tallies().front(), result.elapsed)}
                      : phase_results(schedule_, recorder_.phase_tallies(), result.elapsed);
  for (const auto& phase : result.phases) {
    if (phase.warmup) result.warmup_time += phase.took;
  }
  result.started = started();
  if (verify_) result.verify = verify_->counts();
  result.stopped = options_.stop != nullptr && options_.stop->load();
  result.cancelled_in_flight = cancelled_in_flight;
  return result;
}

}  // namespace tikvbench::workload
