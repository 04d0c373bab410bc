// The exit codes of tikv-bench and the one order in which a run's outcomes
// decide them, documented in docs/exit-codes.md.
#pragma once

#include "report/run_verdict.h"
#include "util/status.h"

namespace tikvbench {

enum ExitCode : int {
  kExitOk = 0,
  kExitThresholdFailed = 1,   // a threshold did not hold, or --verify found loss
  kExitUsage = 2,             // bad flags, bad input files
  kExitPdUnreachable = 3,     // no PD answered within the connect timeout
  kExitRuntime = 4,           // operations failed; a port in use; a report not written
  kExitNoRateHeld = 5,        // find-max: even the first step broke the SLO
  kExitInterrupted = 130,     // SIGINT
  kExitTerminated = 143,      // SIGTERM
};

// The exit code for a failed ClusterClient::connect: a PD of another
// cluster than asked for is bad input; anything else, no PD answered.
inline int connect_exit_code(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitPdUnreachable;
}

using report::RunVerdict;

// signal 130/143 > threshold failed or verify found loss 1 > a report not
// written 4 > operations failed 4 (unless error thresholds decide) > 0.
inline int run_exit_code(const RunVerdict& v) {
  if (v.signal_exit_code != 0) return v.signal_exit_code;
  if (v.threshold_failed || v.verify_failed) return kExitThresholdFailed;
  if (v.reports_failed) return kExitRuntime;
  if (v.operations_failed && !v.error_thresholds_given) return kExitRuntime;
  return kExitOk;
}

}  // namespace tikvbench
