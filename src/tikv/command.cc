#include "tikv/command.h"

#include <cstring>

#include "tikv/wire_format.h"

namespace tikvbench::tikv {
namespace {

// Field numbers shared by RawGetRequest, RawPutRequest and RawDeleteRequest,
// and by their responses (kvrpcpb.proto).
constexpr uint32_t kRawContextField = 1;
constexpr uint32_t kRawKeyField = 2;
constexpr uint32_t kPutValueField = 3;
constexpr uint32_t kRegionErrorField = 1;
constexpr uint32_t kErrorField = 2;
constexpr uint32_t kGetValueField = 3;
constexpr uint32_t kNotFoundField = 4;

char* put_bytes_field(char* out, uint32_t field, std::string_view bytes) {
  out = wire::put_len_header(out, field, bytes.size());
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  return out + bytes.size();
}

}  // namespace

char* MessageCommand::write(char* out) const {
  return reinterpret_cast<char*>(request_.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(out)));
}

RawKeyCommand::RawKeyCommand(Request::CmdCase cmd, std::string_view region_context,
                             std::string_view client_context, std::string_view key, std::string_view value)
    : cmd_(cmd),
      region_context_(region_context),
      client_context_(client_context),
      key_(key),
      value_(value),
      size_(wire::len_field_size(static_cast<uint32_t>(cmd), body_size())) {}

size_t RawKeyCommand::body_size() const {
  // proto3 leaves empty bytes fields out; so do we.
  size_t size = wire::len_field_size(kRawContextField, region_context_.size() + client_context_.size());
  if (!key_.empty()) size += wire::len_field_size(kRawKeyField, key_.size());
  if (!value_.empty()) size += wire::len_field_size(kPutValueField, value_.size());
  return size;
}

char* RawKeyCommand::write(char* out) const {
  out = wire::put_len_header(out, static_cast<uint32_t>(cmd_), body_size());
  out = wire::put_len_header(out, kRawContextField, region_context_.size() + client_context_.size());
  std::memcpy(out, region_context_.data(), region_context_.size());
  out += region_context_.size();
  std::memcpy(out, client_context_.data(), client_context_.size());
  out += client_context_.size();
  if (!key_.empty()) out = put_bytes_field(out, kRawKeyField, key_);
  if (!value_.empty()) out = put_bytes_field(out, kPutValueField, value_);
  return out;
}

Request RawKeyCommand::message() const {
  std::string bytes(size_, '\0');
  write(bytes.data());
  Request request;
  request.ParseFromString(bytes);
  return request;
}

std::optional<RawKeyReply> decode_raw_key_reply(Request::CmdCase cmd, std::string_view response) {
  // Exactly one field: the command's answer. Anything else is protobuf's.
  wire::Reader outer(response);
  if (!outer.next() || outer.field() != static_cast<uint32_t>(cmd) || outer.type() != wire::WireType::kLen) {
    return std::nullopt;
  }
  const std::string_view body = outer.bytes();
  if (outer.next() || outer.failed()) return std::nullopt;
  RawKeyReply reply;
  wire::Reader inner(body);
  while (inner.next()) {
    switch (inner.field()) {
      case kRegionErrorField:
        return std::nullopt;
      case kErrorField:
        if (inner.type() != wire::WireType::kLen || !inner.bytes().empty()) return std::nullopt;
        break;
      case kGetValueField:
        if (cmd != Request::kRawGet || inner.type() != wire::WireType::kLen) return std::nullopt;
        reply.value.assign(inner.bytes());
        break;
      case kNotFoundField:
        if (cmd != Request::kRawGet || inner.type() != wire::WireType::kVarint) return std::nullopt;
        reply.not_found = inner.number() != 0;
        break;
      default:
        break;  // a field we do not know: ignored, as protobuf would
    }
  }
  if (inner.failed()) return std::nullopt;
  return reply;
}

RawKeyReply raw_key_reply_of(Response& response) {
  RawKeyReply reply;
  if (response.has_rawget()) {
    reply.value = std::move(*response.mutable_rawget()->mutable_value());
    reply.not_found = response.rawget().not_found();
  }
  return reply;
}

}  // namespace tikvbench::tikv
