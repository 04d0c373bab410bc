// Parsing of the human durations and fractions that flags and specs take:
// "250us", "20ms", "2s", "1.5m", "1h" and "0.5%" / "0.005".
//
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace tikvbench {

// Returns the duration written in `text`: a non-negative decimal number
// followed by one of ns, us, ms, s, m, h. A bare "0" is allowed.
// Throws std::invalid_argument naming `text` when it does not parse.
std::chrono::nanoseconds parse_duration(std::string_view text);

// Returns the fraction written in `text`, either as a percentage ("0.5%") or
// as a plain number in [0, 1] ("0.005"). Throws std::invalid_argument naming
// `text` when it does not parse or lies outside [0, 1].
double parse_fraction(std::string_view text);

// `d` in seconds, as a double.
inline double to_seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

// Formats a duration the way parse_duration reads it back to the same
// nanosecond ("1.5s", "20ms", "3888888888s", "1.234567ms"): for files and
// specs that are read again (validate's YAML).
std::string format_duration(std::chrono::nanoseconds d);

// Formats a measured duration for a line meant for people, rounded in the
// largest unit it reaches: seconds and milliseconds to one decimal ("3.0s",
// "125.3s", "12.5ms"), microseconds and nanoseconds whole ("250us", "999ns").
// A value that rounds up to the next unit is shown in it (999.96ms is
// "1.0s"). Negative durations get a leading "-". Not for round trips: use
// format_duration.
std::string human_duration(std::chrono::nanoseconds d);

}  // namespace tikvbench
