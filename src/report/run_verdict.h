// What a finished run (or load) came to, as its reports judged it: the
// facts the exit code is decided from (cli/exit_codes.h's run_exit_code
// puts them in order). Plain data.
#pragma once

#include <cstdint>

namespace tikvbench::report {

struct RunVerdict {
  int signal_exit_code = 0;       // 130 or 143 when a signal stopped it
  bool threshold_failed = false;  // a threshold failed or aborted the run
  bool verify_failed = false;     // --verify found lost or corrupt data
  bool reports_failed = false;    // a report file could not be written
  bool operations_failed = false;  // operations failed after their retries
  uint64_t failed_operations = 0;  // how many (warm-up and an earlier load included)
  // A threshold about errors (error_rate, errors) was given: it, not the
  // failed operations themselves, decides.
  bool error_thresholds_given = false;
};

}  // namespace tikvbench::report
