// Request and Response: one TiKV request and its answer, as the store
// transports carry them (a BatchCommandsRequest.Request and a
// BatchCommandsResponse.Response; the unary transport sends the same
// messages one RPC each).
#pragma once

#include "tikvpb.pb.h"

namespace tikvbench::tikv {

using Request = tikvpb::BatchCommandsRequest::Request;
using Response = tikvpb::BatchCommandsResponse::Response;

}  // namespace tikvbench::tikv
