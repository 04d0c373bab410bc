#include "workload/zipfian_generator.h"

#include <cassert>
#include <cmath>

namespace tikvbench::workload {

ZipfianGenerator::ZipfianGenerator(int64_t min, int64_t max, double theta)
    : ZipfianGenerator(min, max, theta, zeta(max - min + 1, theta)) {}

ZipfianGenerator::ZipfianGenerator(int64_t min, int64_t max, double theta, double zetan)
    : items_(max - min + 1),
      base_(min),
      theta_(theta),
      zeta2theta_(zeta(2, theta)),
      alpha_(1.0 / (1.0 - theta)),
      second_threshold_(1.0 + std::pow(0.5, theta)),
      count_(items_),
      zetan_(zetan),
      eta_(eta_for(zetan)) {
  assert(items_ >= 0);
  assert(theta >= 0 && theta < 1);
}

double ZipfianGenerator::zeta(int64_t st, int64_t n, double theta, double initial_sum) {
  double sum = initial_sum;
  for (int64_t i = st; i < n; ++i) sum += 1 / std::pow(static_cast<double>(i + 1), theta);
  return sum;
}

// YCSB divides by the constructor's item count here even after zetan grew.
double ZipfianGenerator::eta_for(double zetan) const {
  return (1 - std::pow(2.0 / static_cast<double>(items_), 1 - theta_)) / (1 - zeta2theta_ / zetan);
}

int64_t ZipfianGenerator::next(Rng& rng, int64_t item_count) {
  assert(item_count >= 0);
  State state = load();
  if (item_count > state.count) {
    grow(item_count);
    state = load();
  }

  const double u = rng.next_double();
  const double uz = u * state.zetan;
  if (uz < 1.0) return base_;
  if (uz < second_threshold_) return base_ + 1;
  return base_ + detail::java_long(static_cast<double>(item_count) * std::pow(state.eta * u - state.eta + 1, alpha_));
}

// A sequence lock (Boehm, "Can seqlocks get along with programming language
// memory models?", 2012), in its fence-free form: the writer makes seq_ odd,
// stores the words with release, makes seq_ even. A reader that loads any
// word of a newer write synchronizes with that store, so its second read of
// seq_ sees the change and it retries; so does one that found seq_ odd.
ZipfianGenerator::State ZipfianGenerator::load() const {
  for (;;) {
    const uint64_t before = seq_.load(std::memory_order_acquire);
    if ((before & 1) != 0) continue;  // a writer is storing three words
    const State state{count_.load(std::memory_order_acquire), zetan_.load(std::memory_order_acquire),
                      eta_.load(std::memory_order_acquire)};
    if (seq_.load(std::memory_order_relaxed) == before) return state;
  }
}

void ZipfianGenerator::grow(int64_t item_count) {
  std::lock_guard lock(grow_mu_);
  const int64_t count = count_.load(std::memory_order_relaxed);
  if (item_count <= count) return;  // another thread grew it meanwhile
  // The sum runs outside the odd phase, so readers never wait on it.
  const double zetan = zeta(count, item_count, theta_, zetan_.load(std::memory_order_relaxed));
  const double eta = eta_for(zetan);

  const uint64_t seq = seq_.load(std::memory_order_relaxed);
  seq_.store(seq + 1, std::memory_order_relaxed);
  count_.store(item_count, std::memory_order_release);
  zetan_.store(zetan, std::memory_order_release);
  eta_.store(eta, std::memory_order_release);
  seq_.store(seq + 2, std::memory_order_release);
}

}  // namespace tikvbench::workload
