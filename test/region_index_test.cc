// RegionIndex: the region cache's sorted index, held against std::map over
// keys that test its inline heads (zero bytes against padding, 0xff bytes,
// long keys that share their first 24 bytes).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "tikv/region_index.h"

// A suite of the one test executable; meson runs it as "region_index".
BOOST_AUTO_TEST_SUITE(region_index_test)

using tikvbench::tikv::CachedRegion;
using tikvbench::tikv::RegionIndex;
using tikvbench::tikv::RegionPtr;

namespace {

RegionPtr region_at(const std::string& start, uint64_t id) {
  auto region = std::make_shared<CachedRegion>();
  region->id = id;
  region->start_key = start;
  return region;
}

// Keys of 0 to 40 bytes over {0x00, 0x01, 'a', 0xff}, half of them after a
// shared 24-byte prefix, so that heads tie.
std::string random_key(std::minstd_rand& rng) {
  static const char bytes[] = {'\0', '\x01', 'a', '\xff'};
  std::string key = rng() % 2 == 0 ? std::string(24, 'p') : std::string();
  for (size_t length = rng() % 17; length > 0; --length) key.push_back(bytes[rng() % 4]);
  return key;
}

}  // namespace

BOOST_AUTO_TEST_CASE(searches_agree_with_a_map_of_strings) {
  std::minstd_rand rng(7);
  RegionIndex index;
  std::map<std::string, uint64_t> reference;
  for (uint64_t id = 1; id <= 3000; ++id) {
    const std::string key = random_key(rng);
    index.put(region_at(key, id));
    reference[key] = id;
  }
  // Erase a third, some from the middle.
  for (int i = 0; i < 1000; ++i) {
    const std::string key = random_key(rng);
    const size_t position = index.find(key);
    BOOST_TEST((position != RegionIndex::npos) == reference.contains(key));
    if (position != RegionIndex::npos) {
      index.erase_at(position);
      reference.erase(key);
    }
  }
  BOOST_REQUIRE(index.size() == reference.size());
  size_t position = 0;
  for (const auto& [key, id] : reference) {
    BOOST_TEST(index.at(position)->start_key == key);
    BOOST_TEST(index.at(position)->id == id);
    ++position;
  }
  const auto offset = [&](auto it) { return static_cast<size_t>(std::distance(reference.begin(), it)); };
  for (int i = 0; i < 5000; ++i) {
    const std::string probe = random_key(rng);
    BOOST_TEST_CONTEXT("probe of " << probe.size() << " bytes") {
      BOOST_TEST(index.upper_bound(probe) == offset(reference.upper_bound(probe)));
      BOOST_TEST(index.lower_bound(probe) == offset(reference.lower_bound(probe)));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_zero_byte_sorts_after_the_end_of_a_key) {
  RegionIndex index;
  for (const char* key : {"a", "", "b"}) index.put(region_at(key, 1));
  index.put(region_at(std::string("a\0", 2), 2));
  index.put(region_at(std::string("a\0\0", 3), 3));
  BOOST_REQUIRE(index.size() == 5u);
  BOOST_TEST(index.at(1)->start_key == "a");
  BOOST_TEST(index.at(2)->start_key == std::string("a\0", 2));
  BOOST_TEST(index.at(3)->start_key == std::string("a\0\0", 3));
  BOOST_TEST(index.upper_bound("a") == 2u);
  BOOST_TEST(index.upper_bound(std::string("a\0", 2)) == 3u);
  BOOST_TEST(index.lower_bound(std::string("a\0\0\0", 4)) == 4u);
  BOOST_TEST(index.find("c") == RegionIndex::npos);
}

BOOST_AUTO_TEST_CASE(put_replaces_the_region_at_its_start_key) {
  RegionIndex index;
  index.put(region_at("m", 1));
  index.put(region_at("m", 2));
  BOOST_REQUIRE(index.size() == 1u);
  BOOST_TEST(index.at(0)->id == 2u);
  index.replace_at(0, region_at("m", 3));
  BOOST_TEST(index.at(index.find("m"))->id == 3u);
  index.erase_at(0);
  BOOST_TEST(index.empty());
  BOOST_TEST(index.upper_bound("z") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()  // region_index_test
