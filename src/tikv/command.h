// Command is one BatchCommandsRequest.Request as BatchStream writes it into a
// message: its wire bytes, written in place, so that the fast path builds no
// protobuf message. Two kinds:
//   MessageCommand  a Request built as a protobuf message (everything off the
//                   fast path: multi-key commands, scans, retries);
//   RawKeyCommand   RawGet, RawPut or RawDelete of one key, encoded by hand
//                   with a Context given as serialized pieces (protobuf
//                   merges concatenated pieces of a message, so the region's
//                   part and the client-wide part are written one after the
//                   other).
// decode_raw_key_reply() reads such a command's answer by hand when it is
// settled, and leaves anything else (a region error, an error, a surprise)
// to protobuf.
//
// Thread safety: value types; a Command is written by one thread.
// Lifetime: a Command views its inputs; they must outlive it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "tikv/request.h"

namespace tikvbench::tikv {

class Command {
 public:
  virtual ~Command() = default;
  // Bytes of the encoded Request.
  virtual size_t size() const = 0;
  // Writes the encoded Request (size() bytes) at `out`; returns its end.
  virtual char* write(char* out) const = 0;
  // The Request as a message (for transports that send messages).
  virtual Request message() const = 0;
};

class MessageCommand final : public Command {
 public:
  // REQUIRES: `request` is not changed while the command lives.
  explicit MessageCommand(const Request& request)
      : request_(request), size_(request.ByteSizeLong()) {}
  size_t size() const override { return size_; }
  char* write(char* out) const override;
  Request message() const override { return request_; }

 private:
  const Request& request_;
  const size_t size_;
};

class RawKeyCommand final : public Command {
 public:
  // `cmd`: kRawGet, kRawPut (with `value`) or kRawDelete. `region_context`
  // and `client_context` are serialized kvrpcpb::Context pieces.
  RawKeyCommand(Request::CmdCase cmd, std::string_view region_context, std::string_view client_context,
                std::string_view key, std::string_view value = {});
  size_t size() const override { return size_; }
  char* write(char* out) const override;
  Request message() const override;

 private:
  size_t body_size() const;

  const Request::CmdCase cmd_;
  const std::string_view region_context_;
  const std::string_view client_context_;
  const std::string_view key_;
  const std::string_view value_;
  const size_t size_;
};

// What a settled RawGet, RawPut or RawDelete answer says.
struct RawKeyReply {
  std::string value;       // RawGet
  bool not_found = false;  // RawGet
};

// Decodes `response` (a BatchCommandsResponse.Response's wire bytes)
// answering a RawKeyCommand of `cmd`. Returns nullopt unless it is settled:
// the same command, without a region error or an error.
std::optional<RawKeyReply> decode_raw_key_reply(Request::CmdCase cmd, std::string_view response);

// The same from a settled Response message. REQUIRES: it answers `cmd`.
RawKeyReply raw_key_reply_of(Response& response);

}  // namespace tikvbench::tikv
