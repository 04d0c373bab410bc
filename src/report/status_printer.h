// StatusPrinter shows the run's progress after every interval: on a
// terminal, a compact block that redraws in place (progress bars for the
// phase and the run, then a line per operation type); otherwise plain lines,
// one per interval, that a log keeps. Both show the achieved rate beside
// an open-loop target, the client's retries per second by kind, what the
// operations in flight wait on when an interval completed nothing, and the
// progress towards the bound that applies (time, operations or records,
// with an ETA for a load), the slowest TiKV store when the stores differ
// by more than 2x in p99, and the events of the interval as they happen
// (one line each, above the block, so they stay on the screen).
//
// Thread safety: none; the run's reporting thread owns it.
#pragma once

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "workload/run_result.h"

namespace tikvbench::report {

// What a status line shows besides the interval's own figures.
struct StatusExtras {
  std::map<std::string, uint64_t> retries;  // the client's retries in the interval, by kind
  // What the operations in flight wait on; set when the interval completed
  // nothing while operations were in flight.
  std::string waiting_on;
  std::map<std::string, uint64_t> errors_so_far;  // recorded errors by kind since the start
  std::string slowest_store;        // slowest_store_text(); empty: the stores are alike
  std::vector<std::string> events;  // the interval's new events, one line each
};

class StatusPrinter {
 public:
  // Redraws when `out` is a terminal and `plain` is false.
  StatusPrinter(std::FILE* out, bool plain);

  void print(const workload::IntervalStatus& status, const StatusExtras& extras);
  // Ends the redrawn block so later output starts on a fresh line.
  void finish();

 private:
  std::string block(const workload::IntervalStatus& status, const StatusExtras& extras) const;

  std::FILE* out_;
  const bool redraw_;
  int lines_drawn_ = 0;
};

// "[#####.....] 52%" for `fraction` in [0, 1].
std::string progress_bar(double fraction, int width);

// " | retries/s not_leader 3.0 server_is_busy 12.0", or "" without retries.
std::string retries_text(const std::map<std::string, uint64_t>& retries, std::chrono::nanoseconds length);

// "15000/100000 records (15.0%), ETA 17s": the progress towards a count
// bound, with an ETA at `rate` per second; `unit` names what is counted.
std::string progress_text(uint64_t done, uint64_t bound, double rate, std::string_view unit);

}  // namespace tikvbench::report
