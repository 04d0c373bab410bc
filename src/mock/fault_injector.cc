#include "mock/fault_injector.h"

#include <cassert>

#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "util/duration.h"

namespace tikvbench::mock {
namespace {

uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

LatencySpec parse_latency(std::string_view text) {
  LatencySpec spec;
  spec.text = std::string(text);
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    spec.a = parse_duration(text);
    spec.kind = spec.a.count() == 0 ? LatencySpec::Kind::kNone : LatencySpec::Kind::kFixed;
    return spec;
  }
  std::string_view kind = text.substr(0, colon);
  std::string_view args = text.substr(colon + 1);
  auto two = [&](char sep) {
    auto at = args.find(sep);
    if (at == std::string_view::npos) {
      throw std::invalid_argument(fmt::format("latency '{}' needs two values separated by '{}'", text, sep));
    }
    spec.a = parse_duration(args.substr(0, at));
    spec.b = parse_duration(args.substr(at + 1));
  };
  if (kind == "uniform") {
    two('-');
    if (spec.b < spec.a) throw std::invalid_argument(fmt::format("latency '{}': high is below low", text));
    spec.kind = LatencySpec::Kind::kUniform;
  } else if (kind == "exp") {
    spec.a = parse_duration(args);
    spec.kind = LatencySpec::Kind::kExponential;
  } else if (kind == "normal") {
    two(',');
    spec.kind = LatencySpec::Kind::kNormal;
  } else {
    throw std::invalid_argument(
        fmt::format("latency '{}': unknown distribution '{}' (uniform, exp, normal)", text, kind));
  }
  return spec;
}

FaultInjector::FaultInjector(uint64_t seed)
    : counter_(seed), latency_(std::make_shared<const LatencySpec>()) {}

void FaultInjector::set_busy_fraction(double fraction) {
  const double scaled = fraction * 18446744073709551616.0;  // 2^64
  busy_threshold_.store(fraction >= 1 ? std::numeric_limits<uint64_t>::max()
                                      : static_cast<uint64_t>(scaled),
                        std::memory_order_relaxed);
}

void FaultInjector::set_latency(const LatencySpec& spec) {
  for (auto& store : store_latency_) store.store(nullptr);
  latency_.store(std::make_shared<const LatencySpec>(spec));
  has_latency_.store(spec.kind != LatencySpec::Kind::kNone, std::memory_order_relaxed);
}

void FaultInjector::set_store_latency(uint64_t store_id, const LatencySpec& spec) {
  assert(store_id >= 1 && store_id <= kMaxStores);
  store_latency_[store_id].store(std::make_shared<const LatencySpec>(spec));
  // Once any store has latency the flag stays up (until set_latency): the
  // draw then reads the specs, which say none where there is none.
  if (spec.kind != LatencySpec::Kind::kNone) has_latency_.store(true, std::memory_order_relaxed);
}

std::shared_ptr<const LatencySpec> FaultInjector::latency_for(uint64_t store_id) const {
  if (store_id <= kMaxStores) {
    if (auto own = store_latency_[store_id].load()) return own;
  }
  return latency_.load();
}

double FaultInjector::busy_fraction() const {
  return static_cast<double>(busy_threshold_.load(std::memory_order_relaxed)) / 18446744073709551616.0;
}

LatencySpec FaultInjector::latency() const { return *latency_.load(); }

LatencySpec FaultInjector::latency(uint64_t store_id) const { return *latency_for(store_id); }

double FaultInjector::next_unit() {
  const uint64_t bits = mix64(counter_.fetch_add(1, std::memory_order_relaxed));
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

bool FaultInjector::draw_busy() {
  const uint64_t threshold = busy_threshold_.load(std::memory_order_relaxed);
  if (threshold == 0) return false;
  return mix64(counter_.fetch_add(1, std::memory_order_relaxed)) < threshold;
}

std::chrono::nanoseconds FaultInjector::draw_latency(uint64_t store_id) {
  if (!has_latency_.load(std::memory_order_relaxed)) return std::chrono::nanoseconds(0);
  const auto spec = latency_for(store_id);
  const double a = static_cast<double>(spec->a.count());
  const double b = static_cast<double>(spec->b.count());
  double nanos = 0;
  switch (spec->kind) {
    case LatencySpec::Kind::kNone: break;
    case LatencySpec::Kind::kFixed: nanos = a; break;
    case LatencySpec::Kind::kUniform: nanos = a + (b - a) * next_unit(); break;
    case LatencySpec::Kind::kExponential: nanos = -a * std::log1p(-next_unit()); break;
    case LatencySpec::Kind::kNormal: {
      // Box-Muller; one of the pair is enough here.
      const double u1 = 1.0 - next_unit();
      const double u2 = next_unit();
      nanos = a + b * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
      break;
    }
  }
  return std::chrono::nanoseconds(static_cast<int64_t>(std::max(0.0, nanos)));
}

}  // namespace tikvbench::mock
