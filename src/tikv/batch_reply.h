// BatchReply is one BatchCommandsResponse message as the client reads it off
// a stream, decoded by the client rather than by gRPC, so that a message that
// does not decode is seen as what it is (`undecodable`) instead of as the
// end of the stream. The bytes on the wire are exactly kvproto's
// BatchCommandsResponse; only the C++ type that receives them differs.
#pragma once

#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include "tikvpb.pb.h"

namespace tikvbench::tikv {

struct BatchReply {
  tikvpb::BatchCommandsResponse message;
  bool undecodable = false;  // the bytes were not a BatchCommandsResponse
};

}  // namespace tikvbench::tikv

namespace grpc {

// gRPC's hook for reading a BatchReply off the wire: decoding never fails
// the read; a bad message is marked instead.
template <>
class SerializationTraits<tikvbench::tikv::BatchReply, void> {
 public:
  static grpc::Status Serialize(const tikvbench::tikv::BatchReply& reply, grpc::ByteBuffer* buffer, bool* own) {
    return grpc::GenericSerialize<grpc::ProtoBufferWriter, tikvpb::BatchCommandsResponse>(reply.message, buffer,
                                                                                         own);
  }
  static grpc::Status Deserialize(grpc::ByteBuffer* buffer, tikvbench::tikv::BatchReply* reply) {
    reply->message.Clear();
    reply->undecodable =
        !grpc::GenericDeserialize<grpc::ProtoBufferReader, tikvpb::BatchCommandsResponse>(buffer, &reply->message)
             .ok();
    return grpc::Status::OK;
  }
};

}  // namespace grpc
