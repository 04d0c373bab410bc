#include "util/event_log.h"

namespace tikvbench {

EventLog::EventLog(Clock::time_point start, size_t max_events) : start_(start), max_events_(max_events) {}

void EventLog::restart_clock(Clock::time_point start) {
  std::lock_guard lock(mu_);
  start_ = start;
}

void EventLog::add_at(Clock::time_point when, std::string_view kind, uint64_t store, std::string_view detail) {
  std::lock_guard lock(mu_);
  const auto t = std::chrono::duration_cast<std::chrono::nanoseconds>(when - start_);
  Key key{std::string(kind), store, std::string(detail)};
  if (auto it = latest_.find(key); it != latest_.end()) {
    Event& last = events_[it->second];
    if (t - last.t < std::chrono::seconds(1)) {
      ++last.count;
      return;
    }
  }
  if (events_.size() >= max_events_) {
    ++dropped_;
    return;
  }
  events_.push_back(Event{t, std::get<0>(key), store, std::get<2>(key), 1});
  latest_.insert_or_assign(std::move(key), events_.size() - 1);
}

std::vector<Event> EventLog::take_new() {
  std::lock_guard lock(mu_);
  std::vector<Event> out(events_.begin() + static_cast<std::ptrdiff_t>(handed_out_), events_.end());
  handed_out_ = events_.size();
  return out;
}

std::vector<Event> EventLog::events() const {
  std::lock_guard lock(mu_);
  return events_;
}

uint64_t EventLog::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

}  // namespace tikvbench
