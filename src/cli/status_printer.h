// StatusPrinter shows the run's progress after every interval: on a
// terminal, a compact block that redraws in place (progress bars for the
// phase and the run, then a line per operation type); otherwise plain lines,
// one per interval, that a log keeps.
//
// Thread safety: none; the run's reporting thread owns it.
#pragma once

#include <cstdio>
#include <string>

#include "workload/runner.h"

namespace tikvbench::cli {

class StatusPrinter {
 public:
  // Redraws when `out` is a terminal and `plain` is false.
  StatusPrinter(std::FILE* out, bool plain);

  void print(const workload::IntervalStatus& status, const std::map<std::string, uint64_t>& errors_so_far);
  // Ends the redrawn block so later output starts on a fresh line.
  void finish();

 private:
  std::string block(const workload::IntervalStatus& status, const std::map<std::string, uint64_t>& errors) const;

  std::FILE* out_;
  const bool redraw_;
  int lines_drawn_ = 0;
};

// "[#####.....] 52%" for `fraction` in [0, 1].
std::string progress_bar(double fraction, int width);

}  // namespace tikvbench::cli
