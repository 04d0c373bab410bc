// The hot path's hand-written wire format: a RawKeyCommand's bytes parse as
// the Request protobuf builds, and decode_raw_key_reply() reads answers as
// protobuf does, leaving region errors and errors to protobuf.
#include <boost/test/unit_test.hpp>

#include <google/protobuf/util/message_differencer.h>

#include "tikv/command.h"
#include "tikv/wire_format.h"

// A suite of the one test executable; meson runs it as "command".
BOOST_AUTO_TEST_SUITE(command_test)

using namespace tikvbench::tikv;

namespace {

kvrpcpb::Context region_part() {
  kvrpcpb::Context context;
  context.set_region_id(7);
  context.mutable_region_epoch()->set_conf_ver(3);
  context.mutable_region_epoch()->set_version(300);
  context.mutable_peer()->set_id(71);
  context.mutable_peer()->set_store_id(2);
  return context;
}

kvrpcpb::Context client_part() {
  kvrpcpb::Context context;
  context.set_cluster_id(123456789);
  context.set_api_version(kvrpcpb::V2);
  context.set_keyspace_id(42);
  return context;
}

Request written(const Command& command) {
  std::string bytes(command.size(), '\0');
  BOOST_REQUIRE(command.write(bytes.data()) == bytes.data() + bytes.size());
  Request request;
  BOOST_REQUIRE(request.ParseFromString(bytes));
  return request;
}

bool same(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

}  // namespace

BOOST_AUTO_TEST_CASE(raw_key_commands_parse_as_the_requests_protobuf_builds) {
  const std::string region = region_part().SerializeAsString();
  const std::string client = client_part().SerializeAsString();
  kvrpcpb::Context context = region_part();
  context.MergeFrom(client_part());
  const std::string big_value(100'000, 'v');  // multi-byte lengths

  Request get;
  *get.mutable_rawget()->mutable_context() = context;
  get.mutable_rawget()->set_key("key000001");
  BOOST_TEST(same(written(RawKeyCommand(Request::kRawGet, region, client, "key000001")), get));

  Request put;
  *put.mutable_rawput()->mutable_context() = context;
  put.mutable_rawput()->set_key("k");
  put.mutable_rawput()->set_value(big_value);
  BOOST_TEST(same(written(RawKeyCommand(Request::kRawPut, region, client, "k", big_value)), put));

  Request del;
  *del.mutable_rawdelete()->mutable_context() = context;
  del.mutable_rawdelete()->set_key("k");
  const RawKeyCommand command(Request::kRawDelete, region, client, "k");
  BOOST_TEST(same(written(command), del));
  BOOST_TEST(same(command.message(), del));
}

BOOST_AUTO_TEST_CASE(message_commands_write_what_protobuf_serializes) {
  Request request;
  request.mutable_rawbatchget()->add_keys("a");
  request.mutable_rawbatchget()->add_keys("b");
  const MessageCommand command(request);
  std::string bytes(command.size(), '\0');
  command.write(bytes.data());
  BOOST_TEST(bytes == request.SerializeAsString());
}

BOOST_AUTO_TEST_CASE(settled_answers_decode_by_hand) {
  Response found;
  found.mutable_rawget()->set_value("value");
  auto reply = decode_raw_key_reply(Request::kRawGet, found.SerializeAsString());
  BOOST_REQUIRE(reply.has_value());
  BOOST_TEST(reply->value == "value");
  BOOST_TEST(!reply->not_found);

  Response missing;
  missing.mutable_rawget()->set_not_found(true);
  reply = decode_raw_key_reply(Request::kRawGet, missing.SerializeAsString());
  BOOST_REQUIRE(reply.has_value());
  BOOST_TEST(reply->not_found);

  Response put;
  put.mutable_rawput();  // an empty answer: set, zero bytes long
  BOOST_TEST(decode_raw_key_reply(Request::kRawPut, put.SerializeAsString()).has_value());
}

BOOST_AUTO_TEST_CASE(anything_unsettled_is_left_to_protobuf) {
  Response region_error;
  region_error.mutable_rawget()->mutable_region_error()->mutable_not_leader()->set_region_id(7);
  BOOST_TEST(!decode_raw_key_reply(Request::kRawGet, region_error.SerializeAsString()).has_value());

  Response error;
  error.mutable_rawput()->set_error("disk full");
  BOOST_TEST(!decode_raw_key_reply(Request::kRawPut, error.SerializeAsString()).has_value());

  Response other_command;
  other_command.mutable_rawdelete();
  BOOST_TEST(!decode_raw_key_reply(Request::kRawGet, other_command.SerializeAsString()).has_value());
  BOOST_TEST(!decode_raw_key_reply(Request::kRawGet, "").has_value());
  BOOST_TEST(!decode_raw_key_reply(Request::kRawGet, "\x6a\x05" "ab").has_value());  // truncated
}

BOOST_AUTO_TEST_CASE(the_reader_walks_fields_and_packed_varints) {
  tikvpb::BatchCommandsResponse response;
  response.add_responses()->mutable_rawget()->set_value("x");
  response.add_responses()->mutable_rawput();
  response.add_request_ids(1);
  response.add_request_ids(300);
  response.set_transport_layer_load(280);
  const std::string bytes = response.SerializeAsString();
  wire::Reader reader(bytes);
  int bodies = 0;
  std::vector<uint64_t> ids;
  uint64_t load = 0;
  while (reader.next()) {
    if (reader.field() == 1) ++bodies;
    if (reader.field() == 2) {
      BOOST_TEST(wire::for_each_packed_varint(reader.bytes(), [&](uint64_t id) { ids.push_back(id); }));
    }
    if (reader.field() == 3) load = reader.number();
  }
  BOOST_TEST(!reader.failed());
  BOOST_TEST(bodies == 2);
  BOOST_TEST(ids == (std::vector<uint64_t>{1, 300}));
  BOOST_TEST(load == 280u);
}

BOOST_AUTO_TEST_SUITE_END()  // command_test
