#include "tikv/store_transport.h"

#include <exception>

#include <asio/co_spawn.hpp>

#include "tikv/command.h"
#include "tikv/pending_call.h"

namespace tikvbench::tikv {

void StoreTransport::start(uint64_t store_id, const std::string& address, const Command& command,
                           std::unique_ptr<PendingCall> call) {
  auto executor = call->executor();
  // The call is the spawned coroutine's owner: it waits for its completion.
  asio::co_spawn(std::move(executor), send(store_id, address, command.message()),
                 [call = std::move(call)](std::exception_ptr error, Result<Response> result) mutable {
                   if (error) std::rethrow_exception(error);
                   PendingCall::complete_here(std::move(call), std::move(result));
                 });
}

}  // namespace tikvbench::tikv
