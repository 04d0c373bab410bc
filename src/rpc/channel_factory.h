// ChannelFactory makes the client's gRPC channels to PD and TiKV with one set
// of credentials (plaintext, or TLS from --ca/--cert/--key) and the channel
// arguments client-go uses: large messages, keepalive pings, and a separate
// TCP connection per channel when asked (index), so several channels to one
// store do not collapse onto one connection. Channelz is off.
//
// Thread safety: make() may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/channel.h>
#include <grpcpp/security/credentials.h>

namespace tikvbench::rpc {

struct TlsFiles {
  std::string ca;    // PEM file of the CA that signed the servers
  std::string cert;  // PEM client certificate, with key; both or neither
  std::string key;
  bool enabled() const { return !ca.empty() || !cert.empty() || !key.empty(); }
};

class ChannelFactory {
 public:
  // Reads the TLS files. Throws std::invalid_argument naming the flag and the
  // file when one cannot be read, or when --cert comes without --key.
  explicit ChannelFactory(const TlsFiles& tls = {});

  // A channel to "host:port"; `index` > 0 forces its own connection.
  std::shared_ptr<grpc::Channel> make(const std::string& address, int index = 0) const;
  bool tls() const { return tls_; }

 private:
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  bool tls_ = false;
};

}  // namespace tikvbench::rpc
