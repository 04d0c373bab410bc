// RegionTable: the keyspace the mock cluster serves, without gRPC.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "mock/region_table.h"
#include "mock/ycsb_split_keys.h"
#include "util/fnv_hash.h"

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

BOOST_AUTO_TEST_CASE(ycsb_split_keys_rise_and_share_go_ycsb_keys_evenly) {
  using tikvbench::fnv_hash64;
  const auto keys = tikvbench::mock::ycsb_split_keys(100, 20'000, "usertable:user");
  BOOST_REQUIRE(keys.size() == 99u);
  for (size_t i = 1; i < keys.size(); ++i) BOOST_TEST(keys[i - 1] < keys[i]);
  BOOST_TEST(keys.front().starts_with("usertable:user"));
  // The keys of a 20,000-record go-ycsb load, 200 per region on average.
  std::map<size_t, int> per_region;
  for (int64_t n = 0; n < 20'000; ++n) {
    const std::string key = "usertable:user" + std::to_string(fnv_hash64(n));
    ++per_region[static_cast<size_t>(std::upper_bound(keys.begin(), keys.end(), key) - keys.begin())];
  }
  BOOST_TEST(per_region.size() == 100u);
  for (const auto& [region, count] : per_region) {
    BOOST_TEST_CONTEXT("region " << region) { BOOST_TEST(count == 200); }
  }
  // Every key starts a region when there are as many regions as records.
  BOOST_TEST(tikvbench::mock::ycsb_split_keys(50, 50, "u").size() == 49u);
  BOOST_TEST(tikvbench::mock::ycsb_split_keys(1, 10, "p").empty());
}

BOOST_AUTO_TEST_CASE(a_presplit_table_covers_the_keyspace_with_leaders_round_robin) {
  RegionTable table({1, 2, 3, 4}, 3, 100);
  const auto split_keys = tikvbench::mock::ycsb_split_keys(100, 20'000, "usertable:user");
  table.presplit(split_keys);
  BOOST_TEST(table.size() == 100u);
  const auto all = table.all();
  BOOST_REQUIRE(all.size() == 100u);
  BOOST_TEST(all.front().meta.start_key().empty());
  BOOST_TEST(all.back().meta.end_key().empty());
  std::map<uint64_t, int> led;
  for (size_t i = 0; i < all.size(); ++i) {
    if (i > 0) BOOST_TEST(all[i].meta.start_key() == all[i - 1].meta.end_key());
    if (i > 0) BOOST_TEST(all[i].meta.start_key() == split_keys[i - 1]);
    ++led[all[i].leader.store_id()];
    BOOST_TEST(all[i].meta.peers_size() == 3);
    std::set<uint64_t> stores;
    for (const auto& peer : all[i].meta.peers()) stores.insert(peer.store_id());
    BOOST_TEST(stores.size() == 3u);
    BOOST_TEST(stores.count(all[i].leader.store_id()) == 1u);
  }
  for (uint64_t store : {1u, 2u, 3u, 4u}) BOOST_TEST(led[store] == 25);
  // Found by key and by id, and still splittable.
  const auto middle = table.info_for_key(split_keys[50]);
  BOOST_TEST(middle.meta.start_key() == split_keys[50]);
  BOOST_TEST(table.by_id(middle.meta.id()) != nullptr);
  BOOST_TEST(table.split(middle.meta.id(), split_keys[50] + "5").error.empty());
  BOOST_TEST(table.size() == 101u);
}

BOOST_AUTO_TEST_SUITE_END()  // region_table_test
