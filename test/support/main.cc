// The test executable's main. Every test/*_test.cc is one top-level suite
// of it (BOOST_AUTO_TEST_SUITE(NAME_test)), which meson runs on its own
// with --run_test=NAME_test.
#define BOOST_TEST_MODULE tikvbench
#include <boost/test/unit_test.hpp>
