// RateSearch decides which open-loop rate find-max tries next: rising
// steps from a start rate (each kRiseFactor times the last) until a step
// breaks the SLO or the ceiling is reached, then a bisection between the
// highest rate that held and the lowest that broke, until the two are
// within `precision` of each other. The answer is the highest rate that
// held. Rates are whole operations per second.
//
// The search only decides; the caller runs each step and reports whether
// it held (record()). It assumes that a rate held means every lower rate
// holds too: a result against that (noise) is taken as it comes, and the
// bisection stays between the highest held and the lowest broken rate.
//
// Thread safety: none; one thread at a time. Plain value type.
#pragma once

#include <cstdint>
#include <optional>

namespace tikvbench::workload {

struct RateSearchOptions {
  int64_t start = 1000;           // the first rate; > 0
  std::optional<int64_t> max;     // no step above this; >= start
  double precision = 0.02;        // stop once (broken - held) <= precision × held; > 0
};

class RateSearch {
 public:
  static constexpr int64_t kRiseFactor = 2;

  // REQUIRES: options as documented above.
  explicit RateSearch(RateSearchOptions options);

  // The rate of the next step, or nothing when the search is over: the
  // first step broke, the ceiling held, or the bisection is within its
  // precision (or down to neighbouring whole rates).
  std::optional<int64_t> next() const;

  // Records the outcome of the step at `rate`.
  void record(int64_t rate, bool held);

  // The highest rate that held so far; nothing while none has.
  std::optional<int64_t> held() const { return held_; }
  // The lowest rate that broke so far; nothing while none has.
  std::optional<int64_t> broken() const { return broken_; }
  // True while the next step (if any) rises; false once bisecting.
  bool rising() const { return !broken_; }

 private:
  RateSearchOptions options_;
  std::optional<int64_t> held_;
  std::optional<int64_t> broken_;
};

}  // namespace tikvbench::workload
