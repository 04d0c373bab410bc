#include "rpc/grpc_runtime.h"

#include <absl/synchronization/mutex.h>

namespace tikvbench::rpc {

void configure_grpc_runtime() { absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore); }

}  // namespace tikvbench::rpc
