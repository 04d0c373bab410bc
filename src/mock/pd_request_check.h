// The check every PD RPC but GetMembers and GetClusterInfo makes first: the
// request's header names this cluster. PD's validateRequest answers a
// mismatch (a zero id included) with gRPC FAILED_PRECONDITION
// "mismatch cluster id, need N but got M", for unary calls and streams alike.
#pragma once

#include <cstdint>
#include <optional>

#include <fmt/format.h>
#include <grpcpp/support/status.h>

#include "pdpb.pb.h"

namespace tikvbench::mock {

// The status to fail the call with, or nullopt when the header is ours.
inline std::optional<grpc::Status> cluster_id_mismatch(uint64_t cluster_id, const pdpb::RequestHeader& header) {
  if (header.cluster_id() == cluster_id) return std::nullopt;
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                      fmt::format("mismatch cluster id, need {} but got {}", cluster_id, header.cluster_id()));
}

}  // namespace tikvbench::mock
