#include "tikv/single_key_path.h"

#include <cassert>

#include "tikv/send_until_done.h"

namespace tikvbench::tikv {

Request raw_key_request(const RawKeyOp& op) {
  Request request;
  switch (op.cmd) {
    case Request::kRawGet:
      request.mutable_rawget()->set_key(op.key);
      break;
    case Request::kRawPut:
      request.mutable_rawput()->set_key(op.key);
      request.mutable_rawput()->set_value(op.value);
      break;
    default:
      assert(op.cmd == Request::kRawDelete);
      request.mutable_rawdelete()->set_key(op.key);
      break;
  }
  return request;
}

// The fast path's slot: a settled answer decoded by hand, anything else as
// a Response (or the failure) for judging.

SingleKeyPath::SingleKeyPath(RegionRequestSender& sender, rpc::EventLoops& loops, rpc::BackofferFactory& backoffs)
    : sender_(sender), loops_(loops), backoffs_(backoffs) {
  for (size_t i = 0; i < loops.size(); ++i) memos_.push_back(std::make_unique<RouteMemo>(sender.cache()));
}

RouteMemo* SingleKeyPath::memo_for(const asio::any_io_executor& executor) {
  const size_t loop = loops_.index_of(&asio::query(executor, asio::execution::context));
  return loop < memos_.size() && loops_.runs_here(loop) ? memos_[loop].get() : nullptr;
}

asio::awaitable<Result<RawKeyReply>> SingleKeyPath::go_on(RawKeyOp op, RegionPtr region, Result<Response> first) {
  co_await asio::this_coro::throw_if_cancelled(false);  // a cancellation ends it with kCancelled instead
  auto backoff = backoffs_.make();
  std::optional<SendOutcome> outcome;
  if (region) outcome = co_await sender_.judge(*region, std::move(first), backoff);
  auto response = co_await send_until_done(
      sender_, op.key, false, [&op](const CachedRegion&) { return raw_key_request(op); }, backoff, std::move(outcome),
      op.trace);
  if (!response.ok()) co_return response.status();
  co_return raw_key_reply_of(*response);
}

}  // namespace tikvbench::tikv
