// RegionTable: the keyspace the mock cluster serves, without gRPC.
#include <boost/test/unit_test.hpp>

#include "mock/region_table.h"

// A suite of the one test executable; meson runs it as "region_table".
BOOST_AUTO_TEST_SUITE(region_table_test)

using tikvbench::mock::RegionTable;

namespace {

RegionTable three_stores() { return RegionTable({1, 2, 3}, 3, 100); }

void put(RegionTable& table, const std::string& key) {
  auto region = table.by_key(key);
  std::lock_guard lock(region->mu);
  region->data[key] = "v";
}

}  // namespace

BOOST_AUTO_TEST_CASE(one_region_covers_the_keyspace_at_first) {
  auto table = three_stores();
  BOOST_TEST(table.size() == 1u);
  const auto info = table.info_for_key("anything");
  BOOST_TEST(info.meta.start_key().empty());
  BOOST_TEST(info.meta.end_key().empty());
  BOOST_TEST(info.meta.peers_size() == 3);
  BOOST_TEST(info.leader.store_id() == 1u);
}

BOOST_AUTO_TEST_CASE(a_split_keeps_the_id_on_the_right_and_bumps_both_versions) {
  auto table = three_stores();
  const auto before = table.info_for_key("a");
  const auto result = table.split(before.meta.id(), "m");
  BOOST_REQUIRE(result.error.empty());
  const auto left = table.info_for_key("a");
  const auto right = table.info_for_key("z");
  BOOST_TEST(right.meta.id() == before.meta.id());
  BOOST_TEST(left.meta.id() == result.new_region_id);
  BOOST_TEST(left.meta.end_key() == "m");
  BOOST_TEST(right.meta.start_key() == "m");
  BOOST_TEST(left.meta.region_epoch().version() == before.meta.region_epoch().version() + 1);
  BOOST_TEST(right.meta.region_epoch().version() == before.meta.region_epoch().version() + 1);
  BOOST_TEST(left.meta.region_epoch().conf_ver() == before.meta.region_epoch().conf_ver());
  // New peers get fresh ids on the same stores.
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST(left.meta.peers(i).store_id() == right.meta.peers(i).store_id());
    BOOST_TEST(left.meta.peers(i).id() != right.meta.peers(i).id());
  }
}

BOOST_AUTO_TEST_CASE(a_split_moves_the_data_below_the_split_key) {
  auto table = three_stores();
  for (const char* key : {"a", "c", "m", "q", "z"}) put(table, key);
  BOOST_REQUIRE(table.split(table.info_for_key("").meta.id(), std::nullopt).error.empty());
  // The median of five keys is the third, "m".
  const auto left = table.by_key("a");
  const auto right = table.by_key("z");
  std::scoped_lock lock(left->mu, right->mu);
  BOOST_TEST(left->meta.end_key() == "m");
  BOOST_TEST(left->data.size() == 2u);
  BOOST_TEST(right->data.size() == 3u);
  BOOST_TEST(right->data.count("m") == 1u);
}

BOOST_AUTO_TEST_CASE(a_split_key_on_a_boundary_or_outside_is_refused) {
  auto table = three_stores();
  const uint64_t id = table.info_for_key("").meta.id();
  BOOST_REQUIRE(table.split(id, "m").error.empty());
  BOOST_TEST(!table.split(id, "m").error.empty());  // the right region starts at m
  BOOST_TEST(!table.split(id, "a").error.empty());  // below it
  BOOST_TEST(!table.split(424242, "x").error.empty());
  BOOST_TEST(!table.split(id, std::nullopt).error.empty());  // no keys for a median
}

BOOST_AUTO_TEST_CASE(scan_prev_and_by_id_see_the_split_regions) {
  auto table = three_stores();
  for (const char* key : {"d", "h", "p"}) BOOST_REQUIRE(table.split(table.info_for_key(key).meta.id(), key).error.empty());
  BOOST_TEST(table.size() == 4u);
  const auto all = table.all();
  BOOST_REQUIRE_EQUAL(all.size(), 4u);
  BOOST_TEST(all[1].meta.start_key() == "d");
  BOOST_TEST(all[3].meta.start_key() == "p");
  BOOST_TEST(table.scan("e", "i", 0).size() == 2u);   // [d,h) [h,p)
  BOOST_TEST(table.scan("e", "", 1).size() == 1u);
  BOOST_TEST(table.info_before_key("i")->meta.start_key() == "d");
  BOOST_TEST(!table.info_before_key("a").has_value());
  BOOST_TEST(table.info_by_id(all[2].meta.id())->meta.start_key() == "h");
  BOOST_TEST(!table.info_by_id(1).has_value());
}

BOOST_AUTO_TEST_CASE(current_regions_near_a_region_cover_its_split_siblings) {
  auto table = three_stores();
  const uint64_t original = table.info_for_key("").meta.id();
  BOOST_REQUIRE(table.split(original, "m").error.empty());
  const auto near = table.current_regions_near(original);
  BOOST_REQUIRE(!near.empty());
  BOOST_TEST(near[0].id() == original);
  bool has_left = false;
  for (const auto& region : near) has_left |= region.end_key() == "m";
  BOOST_TEST(has_left);
  BOOST_TEST(table.current_regions_near(999).empty());
}

BOOST_AUTO_TEST_CASE(leaders_move_only_to_peers_and_off_down_stores) {
  auto table = three_stores();
  const uint64_t id = table.info_for_key("").meta.id();
  BOOST_TEST(table.transfer_leader(id, 2).empty());
  BOOST_TEST(table.info_by_id(id)->leader.store_id() == 2u);
  BOOST_TEST(!table.transfer_leader(id, 9).empty());
  BOOST_TEST(table.move_leaders_off(2, {2, 1}) == 1u);
  BOOST_TEST(table.info_by_id(id)->leader.store_id() == 3u);
  BOOST_TEST(table.move_leaders_off(2, {2}) == 0u);  // it no longer leads anything
}

BOOST_AUTO_TEST_CASE(fewer_stores_than_replicas_gives_one_peer_per_store) {
  RegionTable table({7}, 3, 10);
  const auto info = table.info_for_key("");
  BOOST_TEST(info.meta.peers_size() == 1);
  BOOST_TEST(info.leader.store_id() == 7u);
}

BOOST_AUTO_TEST_SUITE_END()  // region_table_test
