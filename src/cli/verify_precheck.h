// Before a `run --verify` against a cluster it did not load itself: checks
// that the data was loaded with --verify, so its values carry the checksum
// a verifying read expects. Without this a run over plain values would
// report every read as corrupt.
//
// Thread safety: blocks the calling thread, which must not be one of
// `loops`, while a few reads run on them.
#pragma once

#include <optional>
#include <string>

#include "rpc/event_loops.h"
#include "tikv/raw_client.h"
#include "workload/operation_source.h"
#include "workload/spec.h"

namespace tikvbench::cli {

// Reads up to 16 records spread over the load range of `shard`. Returns why
// the run cannot verify (one line, for exit code 2) when none of them
// exists or none found carries a checksum; nothing when any found record is
// sealed, or when the reads failed (the run then reports its own errors).
std::optional<std::string> check_loaded_for_verify(const workload::WorkloadSpec& spec, const workload::Shard& shard,
                                                   tikv::RawClient& raw, rpc::EventLoops& loops);

}  // namespace tikvbench::cli
