#include "tikv/request_fields.h"

namespace tikvbench::tikv {
namespace {

template <class Pairs>
std::string pair_error(const Pairs& pairs) {
  for (const auto& pair : pairs) {
    if (!pair.has_error()) continue;
    const auto& error = pair.error();
    if (!error.abort().empty()) return error.abort();
    if (!error.retryable().empty()) return error.retryable();
    return "key error";
  }
  return {};
}

template <class Typed>
const errorpb::Error* region_error(const Typed& typed) {
  return typed.has_region_error() ? &typed.region_error() : nullptr;
}

}  // namespace

kvrpcpb::Context* context_of(Request& request) {
  switch (request.cmd_case()) {
    case Request::kRawGet: return request.mutable_rawget()->mutable_context();
    case Request::kRawBatchGet: return request.mutable_rawbatchget()->mutable_context();
    case Request::kRawPut: return request.mutable_rawput()->mutable_context();
    case Request::kRawBatchPut: return request.mutable_rawbatchput()->mutable_context();
    case Request::kRawDelete: return request.mutable_rawdelete()->mutable_context();
    case Request::kRawBatchDelete: return request.mutable_rawbatchdelete()->mutable_context();
    case Request::kRawScan: return request.mutable_rawscan()->mutable_context();
    case Request::kRawDeleteRange: return request.mutable_rawdeleterange()->mutable_context();
    default: return nullptr;
  }
}

const errorpb::Error* region_error_of(const Response& response) {
  switch (response.cmd_case()) {
    case Response::kRawGet: return region_error(response.rawget());
    case Response::kRawBatchGet: return region_error(response.rawbatchget());
    case Response::kRawPut: return region_error(response.rawput());
    case Response::kRawBatchPut: return region_error(response.rawbatchput());
    case Response::kRawDelete: return region_error(response.rawdelete());
    case Response::kRawBatchDelete: return region_error(response.rawbatchdelete());
    case Response::kRawScan: return region_error(response.rawscan());
    case Response::kRawDeleteRange: return region_error(response.rawdeleterange());
    default: return nullptr;
  }
}

std::string other_error_of(const Response& response) {
  switch (response.cmd_case()) {
    case Response::kRawGet: return response.rawget().error();
    case Response::kRawBatchGet: return pair_error(response.rawbatchget().pairs());
    case Response::kRawPut: return response.rawput().error();
    case Response::kRawBatchPut: return response.rawbatchput().error();
    case Response::kRawDelete: return response.rawdelete().error();
    case Response::kRawBatchDelete: return response.rawbatchdelete().error();
    case Response::kRawScan: return pair_error(response.rawscan().kvs());
    case Response::kRawDeleteRange: return response.rawdeleterange().error();
    case Response::CMD_NOT_SET: return "empty response (unknown command)";
    default: return {};
  }
}

}  // namespace tikvbench::tikv
