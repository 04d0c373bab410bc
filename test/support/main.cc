// The test executable's main. Every test/*_test.cc is one top-level suite
// of it (BOOST_AUTO_TEST_SUITE(NAME_test)), which meson runs on its own
// with --run_test=NAME_test.
//
// A run whose every test case was skipped (a precondition failed: a tool
// the suite needs is missing) exits 77, which meson reports as SKIP rather
// than a pass.
#define BOOST_TEST_MODULE tikvbench
#define BOOST_TEST_NO_MAIN
#include <boost/test/results_collector.hpp>
#include <boost/test/unit_test.hpp>

int main(int argc, char* argv[]) {
  const int code = boost::unit_test::unit_test_main(&init_unit_test, argc, argv);
  const auto& results =
      boost::unit_test::results_collector.results(boost::unit_test::framework::master_test_suite().p_id);
  if (code == 0 && results.p_test_cases_skipped > 0 && results.p_test_cases_passed == 0 &&
      results.p_test_cases_failed == 0) {
    return 77;
  }
  return code;
}
