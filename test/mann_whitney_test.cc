// The Mann-Whitney U test against values computed apart: the exact
// p-values by enumerating every ordering of the pooled samples (and, for
// 40 + 45 values, by the same recurrence in Python's exact integers), the
// approximate ones as scipy.stats.mannwhitneyu(method="asymptotic") and
// ClickHouse's mannWhitneyUTest give them (tests/queries/0_stateless/
// 01560_mann_whitney.sql: U 223, p 0.5426959774289482).
#include <boost/test/unit_test.hpp>

#include <vector>

#include "report/mann_whitney.h"

BOOST_AUTO_TEST_SUITE(mann_whitney_test)

using tikvbench::report::mann_whitney_u;
namespace tt = boost::test_tools;

BOOST_AUTO_TEST_CASE(separated_small_samples_get_the_exact_two_sided_p) {
  const std::vector<double> low{1, 2, 3}, high{4, 5, 6};
  const auto three = mann_whitney_u(low, high);
  BOOST_TEST(three.exact);
  BOOST_TEST(three.u == 0.0);
  BOOST_TEST(three.p_value == 0.1, tt::tolerance(1e-12));  // 2 of 20 orderings
  BOOST_TEST(three.n_a == 3u);
  BOOST_TEST(three.n_b == 3u);
  const std::vector<double> five_low{1, 2, 3, 4, 5}, five_high{6, 7, 8, 9, 10};
  BOOST_TEST(mann_whitney_u(five_low, five_high).p_value == 2.0 / 252, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(overlapping_samples_get_the_exact_p_of_their_u) {
  const std::vector<double> a{1.1, 2.3, 0.5, 7.0, 3.3}, b{4.0, 5.5, 6.1, 0.9, 8.2, 9.9};
  const auto result = mann_whitney_u(a, b);
  BOOST_TEST(result.exact);
  BOOST_TEST(result.u == 7.0);
  BOOST_TEST(result.p_value == 0.1774891774891775, tt::tolerance(1e-12));
  // The other way round: U is the complement, p the same.
  const auto swapped = mann_whitney_u(b, a);
  BOOST_TEST(swapped.u == 23.0);
  BOOST_TEST(swapped.p_value == result.p_value, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(forty_against_forty_five_is_still_exact) {
  const std::vector<double> a{97.441, 105.114, 97.739, 96.849, 90.7,    97.867,  111.119, 104.241, 110.369, 102.489,
                              103.948, 101.853, 83.339, 108.553, 105.064, 104.988, 83.086,  82.561,  91.104,  95.318,
                              103.054, 99.541,  105.21, 93.578,  103.087, 103.942, 93.389,  117.175, 105.566, 111.97,
                              93.797,  92.605,  96.56,  98.936,  106.321, 102.484, 95.526,  90.431,  94.794,  112.209};
  const std::vector<double> b{97.921,  108.448, 110.265, 91.103,  106.485, 119.062, 85.856,  102.784, 104.939,
                              97.827,  110.974, 105.377, 91.353,  114.278, 112.693, 115.458, 120.406, 109.622,
                              107.193, 93.008,  112.154, 99.882,  101.473, 93.352,  96.324,  100.689, 118.888,
                              85.682,  91.423,  108.394, 120.433, 111.785, 87.001,  80.818,  109.574, 98.637,
                              94.802,  115.774, 117.018, 107.573, 108.458, 110.344, 121.94,  112.19,  111.186};
  const auto result = mann_whitney_u(a, b);
  BOOST_TEST(result.exact);
  BOOST_TEST(result.u == 615.0);
  BOOST_TEST(result.p_value == 0.011730672770086438, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(ties_take_the_normal_approximation_with_both_corrections) {
  const std::vector<double> left{310, 195, 530, 155, 530, 245, 385, 450, 465, 545,
                                 170, 180, 125, 180, 230, 75,  430, 480, 495, 295};
  const std::vector<double> right{116, 171, 176, 421, 111, 326, 481, 111, 346, 441,
                                  261, 411, 206, 521, 456, 446, 296, 51,  426, 261};
  const auto clickhouse = mann_whitney_u(left, right);
  BOOST_TEST(!clickhouse.exact);
  BOOST_TEST(clickhouse.u == 223.0);
  BOOST_TEST(clickhouse.p_value == 0.5426959774289482, tt::tolerance(1e-9));
  const std::vector<double> a{1, 2, 2, 3, 3, 3}, b{3, 4, 4, 5};
  const auto small = mann_whitney_u(a, b);
  BOOST_TEST(!small.exact);
  BOOST_TEST(small.u == 1.5);
  BOOST_TEST(small.p_value == 0.026826219079541535, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(more_than_fifty_values_take_the_approximation) {
  std::vector<double> a, b;
  for (int i = 0; i < 60; ++i) a.push_back(i), b.push_back(i + 1000);
  const auto result = mann_whitney_u(a, b);
  BOOST_TEST(!result.exact);
  BOOST_TEST(result.u == 0.0);
  BOOST_TEST(result.p_value < 1e-15);
}

BOOST_AUTO_TEST_CASE(equal_or_empty_samples_show_no_difference) {
  const std::vector<double> same(6, 5.0), empty;
  const auto equal = mann_whitney_u(same, same);
  BOOST_TEST(equal.p_value == 1.0);
  BOOST_TEST(equal.u == 18.0);  // every pair a tie: half of 36
  const std::vector<double> one{1, 2, 3};
  BOOST_TEST(mann_whitney_u(one, one).p_value == 1.0);  // ties: z <= 0 after the continuity correction
  const auto none = mann_whitney_u(empty, one);
  BOOST_TEST(none.p_value == 1.0);
  BOOST_TEST(none.n_a == 0u);
  BOOST_TEST(none.n_b == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
