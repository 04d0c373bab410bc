// Our kvproto subset: names, field numbers and RPC paths that must equal
// pingcap/kvproto's, and round trips through the wire format.
#include <boost/test/unit_test.hpp>

#include "errorpb.pb.h"
#include "kvrpcpb.pb.h"
#include "metapb.pb.h"
#include "pdpb.grpc.pb.h"
#include "tikvpb.grpc.pb.h"

// A suite of the one test executable; meson runs it as "proto".
BOOST_AUTO_TEST_SUITE(proto_test)

namespace {

int field_number(const google::protobuf::Descriptor* message, const std::string& field) {
  const auto* descriptor = message->FindFieldByName(field);
  BOOST_REQUIRE_MESSAGE(descriptor, message->full_name() << " has no field " << field);
  return descriptor->number();
}

}  // namespace

BOOST_AUTO_TEST_CASE(full_names_match_kvproto) {
  BOOST_TEST(kvrpcpb::RawGetRequest::descriptor()->full_name() == "kvrpcpb.RawGetRequest");
  BOOST_TEST(errorpb::Error::descriptor()->full_name() == "errorpb.Error");
  BOOST_TEST(metapb::Region::descriptor()->full_name() == "metapb.Region");
  BOOST_TEST(pdpb::GetRegionRequest::descriptor()->full_name() == "pdpb.GetRegionRequest");
  BOOST_TEST(tikvpb::BatchCommandsRequest::Request::descriptor()->full_name() ==
             "tikvpb.BatchCommandsRequest.Request");
}

BOOST_AUTO_TEST_CASE(rpc_paths_match_kvproto) {
  const auto* file = tikvpb::BatchCommandsRequest::descriptor()->file();
  const auto* service = file->FindServiceByName("Tikv");
  BOOST_REQUIRE(service);
  BOOST_TEST(service->full_name() == "tikvpb.Tikv");
  for (const char* method : {"RawGet", "RawBatchGet", "RawPut", "RawBatchPut", "RawDelete", "RawBatchDelete",
                             "RawScan", "RawDeleteRange", "BatchCommands"}) {
    BOOST_TEST(service->FindMethodByName(method) != nullptr, method);
  }
  const auto* batch = service->FindMethodByName("BatchCommands");
  BOOST_TEST(batch->client_streaming());
  BOOST_TEST(batch->server_streaming());

  const auto* pd = pdpb::GetRegionRequest::descriptor()->file()->FindServiceByName("PD");
  BOOST_REQUIRE(pd);
  BOOST_TEST(pd->full_name() == "pdpb.PD");
  for (const char* method :
       {"GetMembers", "GetStore", "GetAllStores", "GetRegion", "GetPrevRegion", "GetRegionByID", "ScanRegions"}) {
    const auto* m = pd->FindMethodByName(method);
    BOOST_REQUIRE_MESSAGE(m, method);
    BOOST_TEST(!m->client_streaming());
    BOOST_TEST(!m->server_streaming());
  }
}

BOOST_AUTO_TEST_CASE(key_field_numbers_match_kvproto) {
  const auto* context = kvrpcpb::Context::descriptor();
  BOOST_TEST(field_number(context, "region_id") == 1);
  BOOST_TEST(field_number(context, "region_epoch") == 2);
  BOOST_TEST(field_number(context, "peer") == 3);
  BOOST_TEST(field_number(context, "api_version") == 21);
  BOOST_TEST(field_number(context, "keyspace_id") == 32);
  BOOST_TEST(field_number(context, "cluster_id") == 35);

  const auto* scan = kvrpcpb::RawScanRequest::descriptor();
  BOOST_TEST(field_number(scan, "limit") == 3);
  BOOST_TEST(field_number(scan, "key_only") == 4);
  BOOST_TEST(field_number(scan, "reverse") == 6);
  BOOST_TEST(field_number(scan, "end_key") == 7);

  const auto* error = errorpb::Error::descriptor();
  BOOST_TEST(field_number(error, "message") == 1);
  BOOST_TEST(field_number(error, "not_leader") == 2);
  BOOST_TEST(field_number(error, "region_not_found") == 3);
  BOOST_TEST(field_number(error, "key_not_in_region") == 4);
  BOOST_TEST(field_number(error, "epoch_not_match") == 5);
  BOOST_TEST(field_number(error, "server_is_busy") == 6);
  BOOST_TEST(field_number(error, "stale_command") == 7);
  BOOST_TEST(field_number(error, "store_not_match") == 8);

  const auto* request = tikvpb::BatchCommandsRequest::Request::descriptor();
  BOOST_TEST(field_number(request, "RawGet") == 13);
  BOOST_TEST(field_number(request, "RawDeleteRange") == 20);
  BOOST_TEST(field_number(request, "Empty") == 255);
  const auto* response = tikvpb::BatchCommandsResponse::descriptor();
  BOOST_TEST(field_number(response, "request_ids") == 2);
  BOOST_TEST(field_number(response, "transport_layer_load") == 3);

  BOOST_TEST(field_number(metapb::Region::descriptor(), "region_epoch") == 4);
  BOOST_TEST(field_number(metapb::RegionEpoch::descriptor(), "version") == 2);
  BOOST_TEST(field_number(pdpb::ScanRegionsResponse::descriptor(), "regions") == 4);
  BOOST_TEST(field_number(pdpb::GetMembersResponse::descriptor(), "leader") == 3);
}

BOOST_AUTO_TEST_CASE(a_batch_request_round_trips_through_the_wire_format) {
  tikvpb::BatchCommandsRequest batch;
  auto* put = batch.add_requests()->mutable_rawput();
  put->mutable_context()->set_region_id(7);
  put->mutable_context()->mutable_region_epoch()->set_version(3);
  put->mutable_context()->mutable_peer()->set_store_id(2);
  put->set_key(std::string("k\0ey", 4));
  put->set_value("value");
  batch.add_requests()->mutable_empty()->set_test_id(9);
  batch.add_request_ids(41);
  batch.add_request_ids(42);

  const std::string wire = batch.SerializeAsString();
  tikvpb::BatchCommandsRequest parsed;
  BOOST_REQUIRE(parsed.ParseFromString(wire));
  BOOST_REQUIRE_EQUAL(parsed.requests_size(), 2);
  BOOST_TEST(parsed.requests(0).cmd_case() == tikvpb::BatchCommandsRequest::Request::kRawPut);
  BOOST_TEST(parsed.requests(0).rawput().key() == std::string("k\0ey", 4));
  BOOST_TEST(parsed.requests(0).rawput().context().region_epoch().version() == 3u);
  BOOST_TEST(parsed.requests(1).empty().test_id() == 9u);
  BOOST_TEST(parsed.request_ids(1) == 42u);
}

BOOST_AUTO_TEST_CASE(a_region_error_round_trips_with_its_current_regions) {
  errorpb::Error error;
  error.set_message("epoch");
  auto* region = error.mutable_epoch_not_match()->add_current_regions();
  region->set_id(5);
  region->set_start_key("a");
  region->add_peers()->set_store_id(3);
  errorpb::Error parsed;
  BOOST_REQUIRE(parsed.ParseFromString(error.SerializeAsString()));
  BOOST_TEST(parsed.epoch_not_match().current_regions(0).peers(0).store_id() == 3u);
  BOOST_TEST(parsed.message() == "epoch");
}

BOOST_AUTO_TEST_CASE(hand_encoded_bytes_decode_as_kvproto_defines_them) {
  // RawGetRequest{context{region_id=5}, key="ab"} written by hand from
  // kvproto's numbers: field 1 (message), field 2 (bytes).
  const std::string wire("\x0a\x02\x08\x05\x12\x02\x61\x62", 8);
  kvrpcpb::RawGetRequest request;
  BOOST_REQUIRE(request.ParseFromString(wire));
  BOOST_TEST(request.context().region_id() == 5u);
  BOOST_TEST(request.key() == "ab");
}

BOOST_AUTO_TEST_SUITE_END()  // proto_test
