// DiscreteGenerator picks one of a fixed set of values with given weights:
// YCSB's DiscreteGenerator and go-ycsb's generator.Discrete, the operation
// chooser of the core workloads. It draws u uniform in [0, 1) and walks the
// choices in order, returning the first whose normalised weight exceeds what
// is left of u, exactly as both compute it:
//   for each choice: pw = weight / sum; if (u < pw) return value; u -= pw;
// so the same u picks the same choice as in YCSB. When rounding leaves u
// past the last choice (YCSB throws "should not get here"), the last choice
// with a positive weight is returned.
//
// Header-only: a template over the value type (OpType, an int, ...).
// Thread safety: immutable after construction; next() from any thread.
#pragma once

#include <cassert>
#include <cstddef>
#include <utility>
#include <vector>

#include "workload/rng.h"

namespace tikvbench::workload {

template <typename T>
class DiscreteGenerator {
 public:
  struct Choice {
    double weight;
    T value;
  };

  // The choices in the order YCSB adds them. REQUIRES: at least one weight
  // positive, none negative.
  explicit DiscreteGenerator(std::vector<Choice> choices) : choices_(std::move(choices)) {
    double sum = 0;  // summed in insertion order, as YCSB does per draw
    for (const Choice& choice : choices_) sum += choice.weight;
    assert(sum > 0);
    normalized_.reserve(choices_.size());
    for (size_t i = 0; i < choices_.size(); ++i) {
      assert(choices_[i].weight >= 0);
      normalized_.push_back(choices_[i].weight / sum);
      if (choices_[i].weight > 0) fallback_ = i;
    }
  }

  // One of the values, choice i with probability weight_i / sum.
  const T& next(Rng& rng) const {
    double u = rng.next_double();
    for (size_t i = 0; i < choices_.size(); ++i) {
      if (u < normalized_[i]) return choices_[i].value;
      u -= normalized_[i];
    }
    return choices_[fallback_].value;
  }

  const std::vector<Choice>& choices() const { return choices_; }

 private:
  // Constant after construction.
  std::vector<Choice> choices_;
  std::vector<double> normalized_;  // weight / sum, per choice
  size_t fallback_ = 0;
};

}  // namespace tikvbench::workload
