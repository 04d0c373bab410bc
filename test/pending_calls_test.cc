// PendingCalls: a stream's calls in flight, found by request id, expired by
// deadline, and failed all at once.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include "tikv/pending_calls.h"

// A suite of the one test executable; meson runs it as "pending_calls".
BOOST_AUTO_TEST_SUITE(pending_calls_test)

using namespace tikvbench;
using namespace tikvbench::tikv;
using Clock = PendingCalls::Clock;

namespace {

// A call that only knows which one it is.
class TaggedCall final : public PendingCall {
 public:
  explicit TaggedCall(int tag) : tag(tag) {}
  void set_reply(std::string_view) override {}
  void set_result(Result<Response>) override {}
  asio::any_io_executor executor() const override { return {}; }
  const int tag;

 private:
  void deliver() override { delete this; }
  void invoke() override { delete this; }
};

std::unique_ptr<PendingCall> call(int tag) { return std::make_unique<TaggedCall>(tag); }
int tag_of(const std::unique_ptr<PendingCall>& call) { return call ? static_cast<const TaggedCall&>(*call).tag : -1; }

const Clock::time_point kStart = Clock::now();
Clock::time_point at(int ms) { return kStart + std::chrono::milliseconds(ms); }

}  // namespace

BOOST_AUTO_TEST_CASE(ids_count_up_from_one_and_find_their_call_once) {
  PendingCalls calls;
  BOOST_TEST(calls.add(call(10), at(0)) == 1u);
  BOOST_TEST(calls.add(call(20), at(0)) == 2u);
  BOOST_TEST(calls.add(call(30), at(0)) == 3u);
  BOOST_TEST(calls.size() == 3u);
  BOOST_TEST(tag_of(calls.take(2)) == 20);
  BOOST_TEST(!calls.take(2));  // answered already
  BOOST_TEST(!calls.take(0));  // never given out
  BOOST_TEST(!calls.take(4));  // not yet given out
  BOOST_TEST(tag_of(calls.take(1)) == 10);
  BOOST_TEST(!calls.take(1));
  BOOST_TEST(calls.size() == 1u);
  BOOST_TEST(tag_of(calls.take(3)) == 30);
  BOOST_TEST(calls.empty());
  BOOST_TEST(calls.add(call(40), at(0)) == 4u);
}

BOOST_AUTO_TEST_CASE(replies_in_any_order_find_their_calls_while_the_ring_grows) {
  // More calls than the first ring holds, the oldest still waiting while
  // newer ones are answered, and the ring wrapping around many times.
  PendingCalls calls;
  std::mt19937 rng(7);
  std::vector<uint64_t> waiting;
  int next_tag = 0;
  std::vector<int> tag_of_id(1);  // index: id
  for (int round = 0; round < 200; ++round) {
    const int adds = static_cast<int>(rng() % 300);
    for (int i = 0; i < adds; ++i) {
      const uint64_t id = calls.add(call(next_tag), at(0));
      BOOST_REQUIRE(id == tag_of_id.size());
      tag_of_id.push_back(next_tag++);
      waiting.push_back(id);
    }
    std::shuffle(waiting.begin(), waiting.end(), rng);
    const size_t takes = waiting.empty() ? 0 : rng() % (waiting.size() + 1);
    for (size_t i = 0; i < takes; ++i) {
      const uint64_t id = waiting.back();
      waiting.pop_back();
      BOOST_REQUIRE(tag_of(calls.take(id)) == tag_of_id[id]);
      BOOST_REQUIRE(!calls.take(id));
    }
    BOOST_REQUIRE(calls.size() == waiting.size());
  }
  for (uint64_t id : waiting) BOOST_REQUIRE(tag_of(calls.take(id)) == tag_of_id[id]);
  BOOST_TEST(calls.empty());
}

BOOST_AUTO_TEST_CASE(expiry_takes_the_oldest_calls_past_their_deadline) {
  PendingCalls calls;
  for (int i = 0; i < 6; ++i) calls.add(call(i), at(10 * i));  // ids 1..6, deadlines 0..50 ms
  BOOST_TEST(tag_of(calls.take(2)) == 1);                      // answered before expiring
  std::vector<std::unique_ptr<PendingCall>> expired;
  calls.take_expired(at(25), expired);
  BOOST_REQUIRE(expired.size() == 2u);
  BOOST_TEST(tag_of(expired[0]) == 0);
  BOOST_TEST(tag_of(expired[1]) == 2);
  BOOST_TEST(calls.size() == 3u);
  BOOST_TEST(!calls.take(1));  // expired calls are gone: a late reply finds nothing
  BOOST_TEST(!calls.take(3));
  expired.clear();
  calls.take_expired(at(25), expired);
  BOOST_TEST(expired.empty());
  calls.take_expired(at(30), expired);  // a deadline equal to now has passed
  BOOST_REQUIRE(expired.size() == 1u);
  BOOST_TEST(tag_of(expired[0]) == 3);
  BOOST_TEST(tag_of(calls.take(6)) == 5);
}

BOOST_AUTO_TEST_CASE(take_all_hands_over_every_call_oldest_first) {
  PendingCalls calls;
  for (int i = 0; i < 100; ++i) calls.add(call(i), at(0));
  for (uint64_t id = 1; id <= 100; id += 3) BOOST_REQUIRE(calls.take(id));
  auto all = calls.take_all();
  BOOST_REQUIRE(all.size() == 66u);
  BOOST_TEST(std::is_sorted(all.begin(), all.end(),
                            [](const auto& a, const auto& b) { return tag_of(a) < tag_of(b); }));
  BOOST_TEST(tag_of(all.front()) == 1);
  BOOST_TEST(calls.empty());
  BOOST_TEST(!calls.take(2));
  BOOST_TEST(calls.add(call(7), at(0)) == 101u);  // ids never repeat
  BOOST_TEST(tag_of(calls.take(101)) == 7);
}

BOOST_AUTO_TEST_SUITE_END()
