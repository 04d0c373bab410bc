#include "util/event_log.h"

namespace tikvbench {

EventLog::EventLog(Clock::time_point start, size_t max_events) : start_(start), max_events_(max_events) {}

void EventLog::restart_clock(Clock::time_point start) {
  std::lock_guard lock(mu_);
  const auto shift = std::chrono::duration_cast<std::chrono::nanoseconds>(start - start_);
  for (auto& event : events_) event.t -= shift;
  start_ = start;
}

void EventLog::add_at(Clock::time_point when, std::string_view kind, uint64_t store, std::string_view detail) {
  std::lock_guard lock(mu_);
  const auto t = std::chrono::duration_cast<std::chrono::nanoseconds>(when - start_);
  if (auto it = counts_.find(kind); it != counts_.end()) ++it->second;
  else counts_.emplace(std::string(kind), 1);
  Key key{std::string(kind), store, std::string(detail)};
  if (auto it = latest_.find(key); it != latest_.end()) {
    Event& last = events_[it->second];
    if (t >= last.t && t - last.t < std::chrono::seconds(1)) {
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

size_t EventLog::add_lines(std::string_view kind, std::string_view text, size_t* added) {
  size_t at = 0, lines = 0;
  for (size_t eol; (eol = text.find('\n', at)) != std::string_view::npos; at = eol + 1) {
    std::string_view line = text.substr(at, eol - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    add(kind, 0, line);
    ++lines;
  }
  if (added != nullptr) *added = lines;
  return at;
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

std::map<std::string, uint64_t> EventLog::counts_by_kind() const {
  std::lock_guard lock(mu_);
  return {counts_.begin(), counts_.end()};
}

uint64_t EventLog::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

}  // namespace tikvbench
