#include "workload/schedule.h"
#include "util/duration.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace tikvbench::workload {

std::optional<Schedule::Duration> Schedule::next_boundary(Duration t) const {
  for (size_t i = 0; i < phases_.size(); ++i) {
    if (phases_[i].duration == Duration::max()) return std::nullopt;
    const auto end = starts_[i] + phases_[i].duration;
    if (end > t) return end;
  }
  return std::nullopt;
}

double Schedule::max_concurrency() const {
  double most = 0;
  for (const auto& phase : phases_) {
    if (phase.kind == LoadKind::kRate) continue;
    most = std::max({most, phase.from, phase.to});
    for (double step : phase.steps) most = std::max(most, step);
  }
  return most;
}

bool Schedule::open_loop() const {
  return std::any_of(phases_.begin(), phases_.end(), [](const Phase& p) { return p.kind == LoadKind::kRate; });
}

Schedule::Duration Schedule::warmup_before(Duration elapsed) const {
  Duration warmup{0};
  for (size_t i = 0; i < phases_.size(); ++i) {
    if (!phases_[i].warmup) continue;
    const auto end = phases_[i].duration == Duration::max() ? elapsed : std::min(elapsed, starts_[i] + phases_[i].duration);
    if (end > starts_[i]) warmup += end - starts_[i];
  }
  return warmup;
}
namespace {

using Seconds = std::chrono::duration<double>;
constexpr double kInfinity = std::numeric_limits<double>::infinity();


// Operations scheduled `t` seconds into a segment whose rate moves from `a`
// to `a + slope * length`: the area a*t + slope*t^2/2.
double area(double a, double slope, double t) { return a * t + slope * t * t / 2; }

// The time into the segment at which the area reaches `m`: the root of
// slope/2 t^2 + a t - m = 0, in the form that stays exact as slope -> 0.
double time_for(double a, double slope, double m) {
  if (m <= 0) return 0;
  const double disc = a * a + 2 * slope * m;
  if (disc < 0) return kInfinity;  // a falling rate that never gets there
  const double denom = a + std::sqrt(disc);
  return denom > 0 ? 2 * m / denom : kInfinity;
}

}  // namespace

Schedule::Schedule(const WorkloadSpec& spec, double share) : share_(share) {
  const auto base = [&](std::string name, std::chrono::nanoseconds duration) {
    Phase phase;
    phase.name = std::move(name);
    phase.duration = duration;
    phase.kind = spec.load_kind;
    phase.from = phase.to = spec.load_level;
    return phase;
  };
  if (spec.warmup.count() > 0) {
    auto warmup = base("warmup", spec.warmup);
    warmup.warmup = true;
    phases_.push_back(warmup);
  }
  if (!spec.phases.empty()) {
    std::vector<Phase> cut;
    if (!spec.bounds.duration) {
      cut = spec.phases;
    } else {
      // The run bound cuts the phases short (not the warm-up before them).
      auto left = *spec.bounds.duration;
      for (auto phase : spec.phases) {
        if (left.count() <= 0) break;
        if (phase.duration <= left) {
          left -= phase.duration;
          cut.push_back(std::move(phase));
          continue;
        }
        if (phase.shape == PhaseShape::kSteps) {
          // Each step keeps its own length: the steps become constant phases.
          const auto n = static_cast<int64_t>(phase.steps.size());
          for (int64_t i = 0; i < n && left.count() > 0; ++i) {
            Phase step = phase;
            step.name = fmt::format("{} step {}", phase.name, i + 1);
            step.shape = PhaseShape::kConstant;
            step.from = step.to = phase.steps[static_cast<size_t>(i)];
            step.steps.clear();
            step.duration = std::min(left, phase.duration * (i + 1) / n - phase.duration * i / n);
            left -= step.duration;
            cut.push_back(std::move(step));
          }
          break;
        }
        // A ramp cut short keeps its rate at each point in time.
        if (phase.shape == PhaseShape::kRamp) phase.to = phase.level_at(left);
        phase.duration = left;
        left = std::chrono::nanoseconds(0);
        cut.push_back(std::move(phase));
      }
    }
    phases_.insert(phases_.end(), cut.begin(), cut.end());
  } else if (spec.bounds.duration) {
    phases_.push_back(base("main", *spec.bounds.duration));
  } else {
    phases_.push_back(base("main", std::chrono::nanoseconds::max()));
    unbounded_ = true;
  }
  double start_s = 0;
  std::chrono::nanoseconds start{0};
  for (size_t i = 0; i < phases_.size(); ++i) {
    starts_.push_back(start);
    const bool endless = unbounded_ && i + 1 == phases_.size();
    const double length_s = endless ? kInfinity : to_seconds(phases_[i].duration);
    if (phases_[i].kind == LoadKind::kRate) add_segments(phases_[i], start_s, length_s);
    if (endless) break;
    start += phases_[i].duration;
    start_s += length_s;
  }
}

void Schedule::add_segments(const Phase& phase, double start_s, double length_s) {
  double count = 0;
  if (!segments_.empty()) {
    const auto& last = segments_.back();
    count = last.count_before + area(last.from, (last.to - last.from) / last.length_s, last.length_s);
  }
  const auto add = [&](double from_s, double length, double from, double to) {
    segments_.push_back({start_s + from_s, length, from * share_, to * share_, count});
    count += area(from * share_, (to - from) * share_ / length, length);
  };
  switch (phase.shape) {
    case PhaseShape::kConstant: add(0, length_s, phase.from, phase.from); break;
    case PhaseShape::kRamp: add(0, length_s, phase.from, phase.to); break;
    case PhaseShape::kSteps: {
      // Step i covers [i*D/n, (i+1)*D/n), with the same rounding as level_at.
      const auto n = static_cast<int64_t>(phase.steps.size());
      for (int64_t i = 0; i < n; ++i) {
        const double from = to_seconds(phase.duration * i / n);
        const double to = to_seconds(phase.duration * (i + 1) / n);
        add(from, to - from, phase.steps[static_cast<size_t>(i)], phase.steps[static_cast<size_t>(i)]);
      }
      break;
    }
  }
}

std::optional<Schedule::Duration> Schedule::total() const {
  if (unbounded_) return std::nullopt;
  return starts_.back() + phases_.back().duration;
}

std::optional<size_t> Schedule::phase_at(Duration t) const {
  for (size_t i = phases_.size(); i-- > 0;) {
    if (t >= starts_[i]) {
      if (unbounded_ && i + 1 == phases_.size()) return i;
      return t < starts_[i] + phases_[i].duration ? std::optional<size_t>(i) : std::nullopt;
    }
  }
  return std::nullopt;
}

double Schedule::level_at(Duration t) const {
  const auto index = phase_at(t);
  if (!index) return 0;
  const auto& phase = phases_[*index];
  const auto into = t - starts_[*index];
  const double level = phase.level_at(std::min(into, phase.duration));
  return phase.kind == LoadKind::kRate ? level * share_ : level;
}

std::optional<Schedule::Duration> Schedule::start_of(double n) const {
  for (const auto& segment : segments_) {
    const double slope = std::isinf(segment.length_s) ? 0 : (segment.to - segment.from) / segment.length_s;
    const double in_segment =
        std::isinf(segment.length_s) ? kInfinity : area(segment.from, slope, segment.length_s);
    if (n < segment.count_before + in_segment) {
      const double t = time_for(segment.from, slope, n - segment.count_before);
      if (std::isinf(t)) return std::nullopt;
      return std::chrono::duration_cast<Duration>(Seconds(segment.start_s + std::min(t, segment.length_s)));
    }
  }
  return std::nullopt;
}

double Schedule::scheduled_before(Duration t) const {
  const double at = to_seconds(t);
  double count = 0;
  for (const auto& segment : segments_) {
    if (at <= segment.start_s) break;
    const double slope = std::isinf(segment.length_s) ? 0 : (segment.to - segment.from) / segment.length_s;
    const double into = std::min(at - segment.start_s, segment.length_s);
    count = segment.count_before + area(segment.from, slope, into);
  }
  return count;
}

}  // namespace tikvbench::workload
