// The end-of-run summary: one line per operation type in go-ycsb's format
// (and a NAME_ERROR line for failures, as go-ycsb prints them), then a
// readable table with latency from the intended start beside the service
// latency.
//
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "measure/recorder.h"
#include "util/event_log.h"

namespace tikvbench::report {

// "READ   - Takes(s): 10.0, Count: 1000, OPS: 100.0, Avg(us): ..., ..."
// for every operation type with operations, over `duration`.
std::string go_ycsb_lines(const measure::Figures& figures, std::chrono::nanoseconds duration);

// A table: op, count, errors, not found, ops/s (successes and errors), then
// p50/p99/p99.9/max of service and intended-start latency; then the late
// starts and a line per error kind with its count and first message
// ("error server_error 100: ApiVersionNotMatched: ...").
std::string summary_table(const measure::Figures& figures, std::chrono::nanoseconds duration);

// One status line for an interval: "12s [main] 10234 ops/s read 9000/s
// p99 1.2ms ... errors 3 inflight 64".
std::string interval_line(const measure::Figures& figures, std::chrono::nanoseconds elapsed, std::chrono::nanoseconds length,
                          std::string_view phase, uint64_t inflight);

// Per TiKV store, a line per operation type: the store, its address, the
// operation, count, errors, ops/s over `duration`, p50/p99/max from the
// intended start; then the store's retries by kind. "" without stores.
std::string store_table(const measure::Figures& figures, std::chrono::nanoseconds duration,
                        const std::map<uint64_t, std::string>& addresses,
                        const std::map<uint64_t, std::map<std::string, uint64_t>>& retries_by_store);

// One event in words: "12.3s store_down store 1: 127.0.0.1:20160" (" x40"
// when it happened 40 times within the second), as the HTML markers show it.
std::string event_text(const Event& event);
// The same as the status shows it: "event " and event_text().
std::string event_line(const Event& event);

// "850us", "1.23ms", "2.5s".
std::string format_micros(int64_t micros);

}  // namespace tikvbench::report
