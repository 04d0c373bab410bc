#include "util/duration.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace tikvbench {
namespace {

// Splits "12.5ms" into 12.5 and "ms". Returns false when no number leads.
bool split_number(std::string_view text, double& number, std::string_view& unit) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, number);
  if (ec != std::errc() || ptr == begin) return false;
  unit = std::string_view(ptr, static_cast<size_t>(end - ptr));
  return std::isfinite(number);
}

}  // namespace

std::chrono::nanoseconds parse_duration(std::string_view text) {
  double number = 0;
  std::string_view unit;
  if (!split_number(text, number, unit) || number < 0) {
    throw std::invalid_argument(fmt::format("'{}' is not a duration (try 500ms, 2s, 1m)", text));
  }
  double scale = 0;
  if (unit == "ns") scale = 1;
  else if (unit == "us") scale = 1e3;
  else if (unit == "ms") scale = 1e6;
  else if (unit == "s") scale = 1e9;
  else if (unit == "m") scale = 60e9;
  else if (unit == "h") scale = 3600e9;
  else if (unit.empty() && number == 0) scale = 0;
  else throw std::invalid_argument(fmt::format("'{}' has no known unit (ns, us, ms, s, m, h)", text));
  double nanos = number * scale;
  if (nanos > 9e18) throw std::invalid_argument(fmt::format("'{}' is too long", text));
  return std::chrono::nanoseconds(static_cast<int64_t>(std::llround(nanos)));
}

double parse_fraction(std::string_view text) {
  double number = 0;
  std::string_view unit;
  if (!split_number(text, number, unit) || (unit != "%" && !unit.empty())) {
    throw std::invalid_argument(fmt::format("'{}' is not a fraction (try 0.5% or 0.005)", text));
  }
  if (unit == "%") number /= 100;
  if (number < 0 || number > 1) {
    throw std::invalid_argument(fmt::format("'{}' is outside 0% to 100%", text));
  }
  return number;
}

std::string format_duration(std::chrono::nanoseconds d) {
  const int64_t count = d.count();
  if (count == 0) return "0s";
  if (count < 0) return fmt::format("{}ns", count);  // parse_duration refuses it: no shorter form to keep
  // The largest unit below the duration, with every digit of the fraction
  // that is not zero: "1.5s", "3888888888s", "1.234567ms".
  struct Unit {
    int64_t nanos;
    int digits;
    const char* name;
  };
  constexpr Unit kUnits[] = {{1'000'000'000, 9, "s"}, {1'000'000, 6, "ms"}, {1'000, 3, "us"}, {1, 0, "ns"}};
  const Unit* unit = &kUnits[3];
  for (const auto& u : kUnits) {
    if (count >= u.nanos) {
      unit = &u;
      break;
    }
  }
  const int64_t whole = count / unit->nanos;
  const int64_t fraction = count % unit->nanos;
  std::string text = fmt::format("{}", whole);
  if (fraction != 0) {
    std::string digits = fmt::format("{:0{}}", fraction, unit->digits);
    digits.erase(digits.find_last_not_of('0') + 1);
    text += "." + digits;
  }
  text += unit->name;
  // parse_duration reads through a double: past some 29 days a fraction of a
  // second may not come back to the same nanosecond. Then nanoseconds, which
  // do (a count that a parsed double rounded to is itself a double).
  try {
    if (parse_duration(text) == d) return text;
  } catch (const std::invalid_argument&) {
  }
  return fmt::format("{}ns", count);
}

std::string human_duration(std::chrono::nanoseconds d) {
  // Through a double: exact to the nanosecond below 104 days, and the tail
  // beyond that is rounded off anyway. Negating in double cannot overflow.
  double nanos = static_cast<double>(d.count());
  const char* sign = "";
  if (nanos < 0) {
    sign = "-";
    nanos = -nanos;
  }
  // The boundaries are where the rounded value would read 1000 of the
  // smaller unit.
  if (nanos >= 999'950'000) return fmt::format("{}{:.1f}s", sign, nanos / 1e9);
  if (nanos >= 999'500) return fmt::format("{}{:.1f}ms", sign, nanos / 1e6);
  if (nanos >= 1'000) return fmt::format("{}{:.0f}us", sign, nanos / 1e3);
  return fmt::format("{}{:.0f}ns", sign, nanos);
}

}  // namespace tikvbench
