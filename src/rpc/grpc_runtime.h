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
//
// Also silences gRPC's own log lines unless GRPC_VERBOSITY is set: every
// failure gRPC logs also reaches us as a status, which the command reports
// in its one line (a port in use, a TLS handshake that failed). Set
// GRPC_VERBOSITY (ERROR, INFO, DEBUG) to see gRPC's lines again.
void configure_grpc_runtime();

}  // namespace tikvbench::rpc
