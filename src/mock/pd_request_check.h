// The checks every PD RPC but GetMembers and GetClusterInfo makes first, as
// PD's validateRequest does: the member leads (a follower answers gRPC
// UNAVAILABLE "not leader"), and the request's header names this cluster (a
// mismatch, a zero id included, is FAILED_PRECONDITION "mismatch cluster
// id, need N but got M"), for unary calls and streams alike.
#pragma once

#include <cstdint>
#include <optional>

#include <fmt/format.h>
#include <grpcpp/support/status.h>

#include "pdpb.pb.h"

namespace tikvbench::mock {

// The status to fail the call with, or nullopt when it may proceed.
inline std::optional<grpc::Status> pd_request_refusal(uint64_t cluster_id, bool leads,
                                                      const pdpb::RequestHeader& header) {
  if (!leads) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "not leader");
  if (header.cluster_id() == cluster_id) return std::nullopt;
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                      fmt::format("mismatch cluster id, need {} but got {}", cluster_id, header.cluster_id()));
}

}  // namespace tikvbench::mock
