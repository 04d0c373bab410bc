#!/usr/bin/env bash
# Where client_bench's CPU goes, by thread: runs it with the given flags,
# reads every thread's user and kernel time (/proc/PID/task/*/stat) 1 s and
# 4 s after the start, and prints per thread name (the event loops and the
# bench's main thread are "client_bench", gRPC's callback threads
# "nexting_thread") the ticks in between and their share of the whole.
# Run it for at least 5 s (--seconds 5) so both readings fall in the run.
#
# Usage: bench/thread_cpu.sh [BUILD_DIR] CLIENT_BENCH_FLAGS...
#   bench/thread_cpu.sh build --inflight 1000 --seconds 5
#   bench/thread_cpu.sh build --inflight 1000 --seconds 5 --loops 1
set -euo pipefail
build=${1:-build}
shift || true
out=$(mktemp)
trap 'rm -f "$out" "$out".1 "$out".2' EXIT
"$build/bench/client_bench" "$@" > "$out" &
bench=$!

# Per thread name: the number of threads, user ticks, kernel ticks.
snapshot() {
  for task in /proc/"$bench"/task/*; do
    name=$(cat "$task/comm" 2>/dev/null) || continue
    # Fields after the parenthesised name: utime and stime are the 12th and 13th.
    times=$(cut -d')' -f2 "$task/stat" 2>/dev/null | awk '{print $12, $13}') || continue
    echo "$name $times"
  done | awk '{n[$1]++; u[$1] += $2; s[$1] += $3} END {for (k in n) print k, n[k], u[k], s[k]}' | sort
}
sleep 1
snapshot > "$out.1"
sleep 3
snapshot > "$out.2"
wait "$bench"
cat "$out"
join "$out.1" "$out.2" | awk '
  { name[NR] = $1; threads[NR] = $5; user[NR] = $6 - $3; sys[NR] = $7 - $4; total += user[NR] + sys[NR] }
  END {
    for (i = 1; i <= NR; ++i) {
      if (user[i] + sys[i] == 0) continue
      printf "%-16s %2d threads  user %5d ticks (%4.1f %%)  kernel %5d ticks (%4.1f %%)\n",
        name[i], threads[i], user[i], 100 * user[i] / total, sys[i], 100 * sys[i] / total
    }
  }'
