// RegionCache's epoch rules and error handling, and the per-loop RouteMemo
// over it, against a fake PD.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "support/fake_pd.h"
#include "support/run_coroutine.h"
#include "tikv/region_cache.h"
#include "tikv/route_memo.h"

// A suite of the one test executable; meson runs it as "region_cache".
BOOST_AUTO_TEST_SUITE(region_cache_test)

using namespace tikvbench;
using namespace tikvbench::tikv;
using tikvbench::test::FakePd;
using tikvbench::test::peer_on;
using tikvbench::test::region;
using tikvbench::test::run_coroutine;

namespace {

struct Fixture {
  Fixture() {
    pd.regions[""] = region(1, "", "m", 5);
    pd.regions["m"] = region(2, "m", "", 5);
  }
  FakePd pd;
  RegionCache cache{pd};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(region_cache, Fixture)

BOOST_AUTO_TEST_CASE(a_miss_loads_from_pd_and_a_hit_does_not) {
  auto first = run_coroutine(cache.locate("c"));
  BOOST_REQUIRE(first.ok());
  BOOST_TEST((*first)->id == 1u);
  BOOST_TEST(pd.get_region_calls == 1);
  auto again = run_coroutine(cache.locate("d"));
  BOOST_TEST((*again)->id == 1u);
  BOOST_TEST(pd.get_region_calls == 1);
  BOOST_TEST(run_coroutine(cache.locate("x")).value()->id == 2u);
  BOOST_TEST(pd.get_region_calls == 2);
}

BOOST_AUTO_TEST_CASE(warm_loads_every_region_in_pages) {
  pd.regions.clear();
  std::string start;
  for (int i = 0; i < 10; ++i) {
    const std::string end = i == 9 ? "" : std::string(1, static_cast<char>('b' + i));
    pd.regions[start] = region(static_cast<uint64_t>(i + 1), start, end, 3);
    start = end;
  }
  BOOST_REQUIRE(run_coroutine(cache.warm(3)).ok());
  BOOST_TEST(cache.size() == 10u);
  BOOST_TEST(cache.lookup("e")->id == 5u);  // [e, f)
  // And the addresses of the stores the regions live on, once each.
  BOOST_TEST(pd.get_store_calls == 3);
  for (uint64_t store = 1; store <= 3; ++store) {
    BOOST_TEST(cache.cached_store_address(store).value_or("") == "store" + std::to_string(store));
  }
}

BOOST_AUTO_TEST_CASE(a_stale_region_is_never_inserted) {
  BOOST_REQUIRE(cache.insert(region(1, "", "m", 5), {}));
  // An older view of region 1 (before its split) overlapping newer entries.
  BOOST_TEST(!cache.insert(region(1, "", "", 4), {}));
  BOOST_TEST(cache.lookup("c")->epoch.version() == 5u);
  BOOST_TEST(!cache.lookup("x"));  // nothing was replaced
  // Another region older than an overlapping cached one.
  BOOST_TEST(!cache.insert(region(7, "a", "z", 2), {}));
  BOOST_TEST(cache.lookup("c")->id == 1u);
}

BOOST_AUTO_TEST_CASE(a_newer_region_replaces_every_entry_it_overlaps) {
  BOOST_REQUIRE(cache.insert(region(1, "", "g", 5), {}));
  BOOST_REQUIRE(cache.insert(region(3, "g", "m", 5), {}));
  BOOST_REQUIRE(cache.insert(region(2, "m", "", 5), {}));
  // A merge of everything, newer.
  BOOST_REQUIRE(cache.insert(region(1, "", "", 7), {}));
  BOOST_TEST(cache.size() == 1u);
  BOOST_TEST(cache.lookup("x")->id == 1u);
}

BOOST_AUTO_TEST_CASE(not_leader_moves_the_cached_leader) {
  auto located = run_coroutine(cache.locate("c")).value();
  BOOST_TEST(located->leader_peer().store_id() == 1u);
  cache.update_leader(*located, peer_on(pd.regions[""], 3));
  BOOST_TEST(cache.lookup("c")->leader_peer().store_id() == 3u);
  BOOST_TEST(pd.get_region_calls == 1);
  // A leader that is not one of the peers: the entry is stale, dropped.
  metapb::Peer stranger;
  stranger.set_store_id(9);
  cache.update_leader(*cache.lookup("c"), stranger);
  BOOST_TEST(!cache.lookup("c"));
}

BOOST_AUTO_TEST_CASE(rotate_leader_moves_on_once_per_failure) {
  auto located = run_coroutine(cache.locate("c")).value();
  cache.rotate_leader(*located);
  BOOST_TEST(cache.lookup("c")->leader_peer().store_id() == 2u);
  cache.rotate_leader(*located);  // the same failure reported twice
  BOOST_TEST(cache.lookup("c")->leader_peer().store_id() == 2u);
}

BOOST_AUTO_TEST_CASE(epoch_not_match_installs_the_current_regions) {
  auto located = run_coroutine(cache.locate("c")).value();
  google::protobuf::RepeatedPtrField<metapb::Region> current;
  *current.Add() = region(1, "f", "m", 6);
  *current.Add() = region(8, "", "f", 6);
  BOOST_TEST(cache.on_epoch_not_match(*located, current));
  BOOST_TEST(cache.lookup("c")->id == 8u);
  BOOST_TEST(cache.lookup("g")->id == 1u);
  BOOST_TEST(cache.lookup("g")->epoch.version() == 6u);
  BOOST_TEST(pd.get_region_calls == 1);
}

BOOST_AUTO_TEST_CASE(epoch_not_match_from_a_store_behind_us_asks_for_backoff) {
  auto located = run_coroutine(cache.locate("c")).value();
  google::protobuf::RepeatedPtrField<metapb::Region> current;
  *current.Add() = region(1, "", "m", 4);
  BOOST_TEST(!cache.on_epoch_not_match(*located, current));
  BOOST_TEST(cache.lookup("c")->epoch.version() == 5u);
}

BOOST_AUTO_TEST_CASE(invalidate_drops_only_the_same_or_older_entry) {
  auto located = run_coroutine(cache.locate("c")).value();
  BOOST_REQUIRE(cache.insert(region(1, "", "m", 6), {}));
  cache.invalidate(*located);  // older than what is cached now: kept
  BOOST_TEST(cache.lookup("c"));
  cache.invalidate(*cache.lookup("c"));
  BOOST_TEST(!cache.lookup("c"));
}

BOOST_AUTO_TEST_CASE(locate_end_finds_the_region_holding_the_keys_below) {
  BOOST_TEST(run_coroutine(cache.locate_end("m")).value()->id == 1u);  // m starts region 2
  BOOST_TEST(run_coroutine(cache.locate_end("n")).value()->id == 2u);
  BOOST_TEST(run_coroutine(cache.locate_end("")).value()->id == 2u);   // from the very end
}

BOOST_AUTO_TEST_CASE(a_pd_failure_leaves_the_cache_unchanged) {
  pd.down = true;
  auto located = run_coroutine(cache.locate("c"));
  BOOST_TEST(!located.ok());
  BOOST_TEST(static_cast<int>(located.status().code()) == static_cast<int>(StatusCode::kUnavailable));
  BOOST_TEST(cache.size() == 0u);
}

BOOST_AUTO_TEST_CASE(misses_past_the_load_limit_fail_at_once_without_asking_pd) {
  constexpr int kMisses = RegionCache::kMaxConcurrentLoads + 10;
  std::vector<std::optional<Result<RegionPtr>>> results(kMisses);
  run_coroutine([](FakePd& pd, RegionCache& cache, auto& results) -> asio::awaitable<void> {
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer hold(executor, asio::steady_timer::time_point::max());
    pd.hold = &hold;
    // Each miss runs until PD holds it, or until it fails (co_spawn on the
    // current executor starts it at once).
    for (int i = 0; i < kMisses; ++i) {
      asio::co_spawn(
          executor,
          [](RegionCache& cache, std::optional<Result<RegionPtr>>& result, int i) -> asio::awaitable<void> {
            result = co_await cache.locate("a" + std::to_string(i));
          }(cache, results[static_cast<size_t>(i)], i),
          asio::detached);
    }
    int failed_at_once = 0;
    for (const auto& result : results) {
      if (result && !result->ok() && result->status().code() == StatusCode::kUnavailable) ++failed_at_once;
    }
    BOOST_TEST(pd.get_region_calls == RegionCache::kMaxConcurrentLoads);
    BOOST_TEST(failed_at_once == kMisses - RegionCache::kMaxConcurrentLoads);
    hold.cancel();
    // The held loads finish as their handlers run; then the slots are free.
    while (std::count_if(results.begin(), results.end(), [](const auto& r) { return r.has_value(); }) < kMisses) {
      co_await asio::post(executor, asio::use_awaitable);
    }
    pd.hold = nullptr;
  }(pd, cache, results));
  int loaded = 0;
  for (const auto& result : results) loaded += result->ok() && result->value()->id == 1u ? 1 : 0;
  BOOST_TEST(loaded == RegionCache::kMaxConcurrentLoads);
  BOOST_TEST(run_coroutine(cache.locate("x")).ok());  // a free slot again
}

BOOST_AUTO_TEST_CASE(store_addresses_are_cached_until_invalidated) {
  BOOST_TEST(run_coroutine(cache.store_address(2)).value() == "store2");
  cache.invalidate_store(2);
  BOOST_TEST(run_coroutine(cache.store_address(2)).value() == "store2");
}

BOOST_AUTO_TEST_CASE(every_change_moves_the_generation_on) {
  uint64_t last = cache.generation();
  auto moved = [&] {
    const bool changed = cache.generation() != last;
    last = cache.generation();
    return changed;
  };
  auto located = run_coroutine(cache.locate("c")).value();
  BOOST_TEST(moved());  // loaded
  BOOST_TEST(run_coroutine(cache.store_address(1)).ok());
  BOOST_TEST(moved());  // an address learnt
  BOOST_TEST(cache.lookup("c") != nullptr);
  BOOST_TEST(cache.cached_store_address(1).has_value());
  BOOST_TEST(!moved());  // reads change nothing
  cache.update_leader(*located, peer_on(pd.regions[""], 3));
  BOOST_TEST(moved());
  cache.rotate_leader(*cache.lookup("c"));
  BOOST_TEST(moved());
  cache.invalidate_store(1);
  BOOST_TEST(moved());
  cache.invalidate(*cache.lookup("c"));
  BOOST_TEST(moved());
}

// RouteMemo: a loop's copies of the routes, valid while the generation holds.
BOOST_AUTO_TEST_CASE(a_route_memo_answers_from_its_copy_until_the_cache_changes) {
  RouteMemo memo(cache);
  BOOST_TEST(!memo.find("c"));  // no region cached yet
  auto located = run_coroutine(cache.locate("c")).value();
  BOOST_TEST(!memo.find("c"));  // no address for the leader's store yet
  BOOST_TEST(run_coroutine(cache.store_address(1)).ok());
  const auto* route = memo.find("c");
  BOOST_REQUIRE(route);
  BOOST_TEST(route->region->id == 1u);
  BOOST_TEST(route->address == "store1");
  BOOST_TEST((route->region != cache.lookup("c")));  // its own copy
  BOOST_TEST((memo.find("d") == route));             // the same range: the same copy
  BOOST_TEST((memo.find("a")->region == route->region));

  // A new leader is seen at the next find.
  BOOST_TEST(run_coroutine(cache.store_address(3)).ok());
  cache.update_leader(*located, peer_on(pd.regions[""], 3));
  const auto* moved = memo.find("c");
  BOOST_REQUIRE(moved);
  BOOST_TEST(moved->region->leader_peer().store_id() == 3u);
  BOOST_TEST(moved->address == "store3");

  // A split: the memo drops the old range.
  BOOST_TEST(cache.insert(region(3, "", "f", 6), peer_on(region(3, "", "f", 6), 3)));
  BOOST_TEST(memo.find("c")->region->id == 3u);
  BOOST_TEST(!memo.find("g"));  // "f" to "m" is not cached any more

  // The copy stands for the original in the cache's methods.
  cache.invalidate(*memo.find("c")->region);
  BOOST_TEST(!cache.lookup("c"));
  BOOST_TEST(!memo.find("c"));
}

BOOST_AUTO_TEST_CASE(a_full_route_memo_answers_from_the_shared_cache) {
  RouteMemo memo(cache, 1);
  BOOST_TEST(run_coroutine(cache.locate("c")).ok());
  BOOST_TEST(run_coroutine(cache.locate("x")).ok());
  BOOST_TEST(run_coroutine(cache.store_address(1)).ok());
  const RegionPtr kept = memo.find("c")->region;  // the one it keeps
  BOOST_TEST((kept != cache.lookup("c")));
  for (int i = 0; i < 3; ++i) {
    const auto* past_capacity = memo.find("x");
    BOOST_REQUIRE(past_capacity);
    BOOST_TEST((past_capacity->region == cache.lookup("x")));  // the cache's own, not a copy
    BOOST_TEST(past_capacity->address == "store1");
    BOOST_TEST((memo.find("c")->region == kept));
  }
}

BOOST_AUTO_TEST_CASE(a_memo_much_smaller_than_the_cache_answers_from_the_cache_alone) {
  RouteMemo memo(cache, 1);
  BOOST_TEST(run_coroutine(cache.locate("c")).ok());
  BOOST_TEST(run_coroutine(cache.store_address(1)).ok());
  // Two regions: the memo keeps a copy of the first route it finds.
  BOOST_TEST((memo.find("c")->region != cache.lookup("c")));
  // Three, more than twice what it keeps: every route is the cache's own.
  BOOST_TEST(cache.insert(region(3, "m", "t", 6), peer_on(region(3, "m", "t", 6), 1)));
  BOOST_TEST(cache.insert(region(4, "t", "", 6), peer_on(region(4, "t", "", 6), 1)));
  BOOST_REQUIRE(cache.size() == 3u);
  for (const char* key : {"c", "p", "x", "c"}) {
    const auto* route = memo.find(key);
    BOOST_REQUIRE(route);
    BOOST_TEST((route->region == cache.lookup(key)));
    BOOST_TEST(route->address == "store1");
  }
  BOOST_TEST(memo.find("p")->region->id == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()  // region_cache_test
