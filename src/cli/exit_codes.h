// The exit codes of tikv-bench, documented in docs/exit-codes.md.
#pragma once

#include "util/status.h"

namespace tikvbench {

enum ExitCode : int {
  kExitOk = 0,
  kExitThresholdFailed = 1,   // a threshold did not hold
  kExitUsage = 2,             // bad flags, bad input files
  kExitPdUnreachable = 3,     // no PD answered within the connect timeout
  kExitRuntime = 4,           // failure while running: a port in use, I/O errors
  kExitInterrupted = 130,     // SIGINT
  kExitTerminated = 143,      // SIGTERM
};

// The exit code for a failed ClusterClient::connect: a PD of another
// cluster than asked for is bad input; anything else, no PD answered.
inline int connect_exit_code(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitPdUnreachable;
}

}  // namespace tikvbench
