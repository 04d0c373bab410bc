// EventLog keeps the timeline of what happened to the cluster during a run,
// as the client saw it and as the user told it: a store becoming
// unreachable and reachable again, leader moves, splits and merges, PD
// leader changes, ServerIsBusy bursts, backoffs that ran out, and lines a
// chaos script wrote ("kill tikv-1"). Each event has a time (since the
// run's start), a kind, a store (0: none) and a detail.
//
// Repeats merge: an event with the same kind, store and detail as one first
// seen less than a second before adds 1 to that one's count instead of
// standing alone, so a burst of a thousand ServerIsBusy answers is one
// event with count 1000. At most `max_events` events are kept; past that,
// further ones are only counted (dropped()).
//
// Thread safety: every method may be called from any thread (one mutex,
// taken once per event; the client records events on retries and state
// changes only, never per successful operation).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace tikvbench {

struct Event {
  std::chrono::nanoseconds t{0};  // since the run's start, when first seen
  std::string kind;               // "store_down", "leader_move", "user", ...
  uint64_t store = 0;             // the store it concerns; 0: none
  std::string detail;
  uint64_t count = 1;  // how many times it happened within a second of t
};

class EventLog {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr size_t kDefaultMaxEvents = 10'000;

  explicit EventLog(Clock::time_point start = Clock::now(), size_t max_events = kDefaultMaxEvents);
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Records an event that happens now. An event merges into the last one
  // of its kind, store and detail when that one was first seen less than a
  // second before (never into a later one); past max_events it is only
  // counted.

  void add(std::string_view kind, uint64_t store, std::string_view detail) { add_at(Clock::now(), kind, store, detail); }
  void add_at(Clock::time_point when, std::string_view kind, uint64_t store, std::string_view detail);
  // Records each whole line of `text` (ending in '\n'; a '\r' before it
  // dropped; empty lines skipped) as an event of `kind`, now. Returns how
  // many bytes it took (through the last '\n'), and in `added` how many
  // events.
  size_t add_lines(std::string_view kind, std::string_view text, size_t* added = nullptr);
  // Moves the time events are measured from (the run's start, once known).
  // Events already kept are re-timed from it: those before it get
  // negative times (they happened before the run, e.g. during its load).
  void restart_clock(Clock::time_point start);

  // The events recorded since the last call, each once, with the count
  // they had when first handed out (for a status line as they happen).
  std::vector<Event> take_new();
  // Every event kept so far, in the order first seen.
  std::vector<Event> events() const;
  // Events past max_events, counted but not kept.
  uint64_t dropped() const;
  // Every event recorded so far by kind, repeats and dropped ones included
  // (for a counter that never stops growing).
  std::map<std::string, uint64_t> counts_by_kind() const;

 private:
  using Key = std::tuple<std::string, uint64_t, std::string>;

  mutable std::mutex mu_;
  Clock::time_point start_;  // Guarded by mu_.
  const size_t max_events_;
  std::vector<Event> events_;  // Guarded by mu_.
  std::map<Key, size_t> latest_;  // Guarded by mu_: the last event of each key, by index
  size_t handed_out_ = 0;  // Guarded by mu_: events_[0, handed_out_) went out by take_new()
  uint64_t dropped_ = 0;   // Guarded by mu_.
  std::map<std::string, uint64_t, std::less<>> counts_;  // Guarded by mu_.
};

}  // namespace tikvbench
