#include "rpc/grpc_runtime.h"

#include <cstdlib>

#include <absl/synchronization/mutex.h>
#include <grpc/support/log.h>

namespace tikvbench::rpc {

void configure_grpc_runtime() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  if (std::getenv("GRPC_VERBOSITY") == nullptr) gpr_set_log_function([](gpr_log_func_args*) {});
}

}  // namespace tikvbench::rpc
