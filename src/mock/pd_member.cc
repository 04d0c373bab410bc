#include "mock/pd_member.h"

namespace tikvbench::mock {

PdMember::PdMember(size_t index, std::string name, std::string host, uint16_t port, PdService::Dependencies pd,
                   const KeyspaceDirectory& keyspaces, UnservedCalls& unserved,
                   std::shared_ptr<grpc::ServerCredentials> credentials)
    : index_(index),
      pd_service_(pd, index),
      keyspace_service_(pd.cluster_id, keyspaces, pd.membership, index),
      server_(std::move(name), std::move(host), port, std::move(credentials), {&pd_service_, &keyspace_service_},
              unserved) {}

}  // namespace tikvbench::mock
