#!/usr/bin/env bash
# Open-loop rate accuracy: runs a read-only workload at fixed rates against a
# mock cluster in its own process and prints, per rate, the operations the
# run completed against those the schedule called for, and latency from the
# intended start. Compare within one run; the machine is shared.
#
# Usage: bench/rate_accuracy.sh [BUILD_DIR] [SECONDS] [RATES...]
set -euo pipefail
build=${1:-build}
seconds=${2:-10}
shift $(( $# > 2 ? 2 : $# )) || true
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(10000 50000 100000)
bin="$build/src/tikv-bench"
dir=$(mktemp -d)
trap 'kill "$mock" 2>/dev/null || true; rm -rf "$dir"' EXIT

mkfifo "$dir/stdin"
"$bin" mock-cluster --stores 3 --exit-on-eof < "$dir/stdin" > "$dir/mock.out" 2>&1 &
mock=$!
exec 3> "$dir/stdin"  # holds the mock's stdin open
for _ in $(seq 100); do grep -q '^ready' "$dir/mock.out" && break; sleep 0.1; done
pd=$(awk '/^pd /{print $2}' "$dir/mock.out")

cat > "$dir/w.yaml" <<YAML
keyspace: {records: 10000}
values: {fields: 1, field_length: 100}
mix: {read: 1}
distribution: uniform
load: {concurrency: 64, max_inflight: 20000}
YAML
"$bin" load -P "$dir/w.yaml" --pd "$pd" > /dev/null 2>&1
printf '%-10s %-12s %-12s %-10s %-12s %-10s %-10s\n' rate scheduled completed took achieved i.p50 i.p99
for rate in "${rates[@]}"; do
  out=$("$bin" run -P "$dir/w.yaml" --pd "$pd" -p target="$rate" --duration "${seconds}s" --status-interval 60s 2>/dev/null)
  completed=$(echo "$out" | awk '/^read /{print $2}')
  ip50=$(echo "$out" | awk '/^read /{print $11}')
  ip99=$(echo "$out" | awk '/^read /{print $12}')
  took=$(echo "$out" | sed -n 's/^run: .* operations in \([0-9.]*\)s .*/\1/p')
  scheduled=$(( rate * seconds ))
  # The rate held: operations over the time until the last one ended.
  achieved=$(awk -v c="$completed" -v t="$took" -v r="$rate" 'BEGIN{printf "%.1f%%", 100*c/t/r}')
  printf '%-10s %-12s %-12s %-10s %-12s %-10s %-10s\n' "$rate" "$scheduled" "$completed" "${took}s" "$achieved" "$ip50" "$ip99"
done
