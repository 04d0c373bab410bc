#include "rpc/channel_factory.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/support/channel_arguments.h>

namespace tikvbench::rpc {
namespace {

std::string read_file(const std::string& flag, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(fmt::format("{} {}: cannot read the file", flag, path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ChannelFactory::ChannelFactory(const TlsFiles& tls) {
  if (!tls.enabled()) {
    credentials_ = grpc::InsecureChannelCredentials();
    return;
  }
  if (tls.cert.empty() != tls.key.empty()) {
    throw std::invalid_argument("--cert and --key go together");
  }
  grpc::SslCredentialsOptions options;
  if (!tls.ca.empty()) options.pem_root_certs = read_file("--ca", tls.ca);
  if (!tls.cert.empty()) {
    options.pem_cert_chain = read_file("--cert", tls.cert);
    options.pem_private_key = read_file("--key", tls.key);
  }
  credentials_ = grpc::SslCredentials(options);
  tls_ = true;
}

std::shared_ptr<grpc::Channel> ChannelFactory::make(const std::string& address, int index) const {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 * 1024 * 1024);
  args.SetMaxSendMessageSize(256 * 1024 * 1024);
  // client-go: keepalive every 10 s, 3 s to answer.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 10'000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 3'000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // Reconnect quickly after a store comes back.
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2'000);
  // No channelz: nothing reads it, and its trace keeps a few events per
  // channel and subchannel, replaced at every reconnect. Made in the middle
  // of a store restart's burst and kept, they were among what kept the
  // burst's allocator pages from being reused.
  args.SetInt(GRPC_ARG_ENABLE_CHANNELZ, 0);
  if (index > 0) {
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("tikvbench.channel_index", index);
  }
  return grpc::CreateCustomChannel(address, credentials_, args);
}

}  // namespace tikvbench::rpc
