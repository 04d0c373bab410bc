// Process-wide settings of the libraries under gRPC, made once at start by
// each program (tikv-bench, the benchmarks) before any channel or server.
#pragma once

namespace tikvbench::rpc {

// Switches off abseil's mutex deadlock detector. Debian builds abseil
// without NDEBUG, so the detector is on: every lock gRPC takes updates a
// process-wide lock-order graph (absl's GraphCycles), which took a quarter of
// the client's CPU in a storm of PD requests on a CPU-starved machine (in
// steady state it costs nothing measurable). The detector guards abseil's
// users against lock-order bugs; gRPC's are not ours to find.
void configure_grpc_runtime();

}  // namespace tikvbench::rpc
