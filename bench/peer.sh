#!/usr/bin/env bash
# tikv-bench's client against TiKV's own (client-go, bench/peer), on one
# mock cluster process, in alternating rounds: each round runs both clients
# at the same in-flight count, one after the other (the order swapped every
# other round), and prints each one's ops/s, client CPU per operation, p50
# and p99 (the peer's; client_bench reports no latency), resident memory,
# the mock's CPU per request (over the client's whole run, its load and
# warm-up included, per timed operation: an upper bound), and the ratio of
# client CPU per operation.
# The last line is the median ratio over the rounds.
#
# Usage: bench/peer.sh [BUILD_DIR] [INFLIGHT] [ROUNDS] [SECONDS]
# Needs Go (the peer is built into $TMPDIR from bench/peer).
set -euo pipefail
build=${1:-build}
inflight=${2:-1000}
rounds=${3:-5}
seconds=${4:-4}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'kill "$mock" 2>/dev/null || true; rm -rf "$tmp"' EXIT
(cd "$here/peer" && go build -o "$tmp/peer" .)
port=$((20000 + RANDOM % 20000))
"$build/src/tikv-bench" mock-cluster --pd "127.0.0.1:$port" --stores 1 > "$tmp/mock.out" 2>&1 &
mock=$!
for _ in $(seq 100); do grep -q '^ready' "$tmp/mock.out" && break; sleep 0.1; done
mock_cpu() { awk '{print $14 + $15}' "/proc/$mock/stat"; }  # clock ticks
ticks=$(getconf CLK_TCK)
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
run_ours() {
  local before after line
  before=$(mock_cpu)
  line=$("$build/bench/client_bench" --pd "127.0.0.1:$port" --inflight "$inflight" --seconds "$seconds" | tail -1)
  after=$(mock_cpu)
  ours_cpu=$(field client_cpu_us_per_op <<< "$line")
  ours_ops=$(field ops <<< "$line")
  printf '  tikv-bench: %s ops/s, %s us client CPU/op, %s MiB, mock <= %.3f us/op\n' \
    "$(field ops_per_s <<< "$line")" "$ours_cpu" "$(field rss_mib <<< "$line")" \
    "$(awk -v t=$((after - before)) -v h="$ticks" -v n="$ours_ops" 'BEGIN { print t / h * 1e6 / n }')"
}
run_peer() {
  local before after line
  before=$(mock_cpu)
  line=$("$tmp/peer" --pd "127.0.0.1:$port" --inflight "$inflight" --seconds "$seconds" 2>&1 | grep '^peer:')
  after=$(mock_cpu)
  peer_cpu=$(field client_cpu_us_per_op <<< "$line")
  peer_ops=$(field ' ops' <<< "$line")
  printf '  client-go:  %s ops/s, %s us client CPU/op, p50 %s us, p99 %s us, %s MB, mock <= %.3f us/op\n' \
    "$(field ops_per_sec <<< "$line")" "$peer_cpu" "$(field p50_us <<< "$line")" "$(field p99_us <<< "$line")" \
    "$(field rss_mb <<< "$line")" \
    "$(awk -v t=$((after - before)) -v h="$ticks" -v n="$peer_ops" 'BEGIN { print t / h * 1e6 / n }')"
}
ratios=()
for round in $(seq "$rounds"); do
  echo "round $round ($inflight in flight, ${seconds}s each):"
  if (( round % 2 )); then run_ours; run_peer; else run_peer; run_ours; fi
  ratio=$(awk -v a="$ours_cpu" -v b="$peer_cpu" 'BEGIN { printf "%.3f", a / b }')
  echo "  client CPU per op, tikv-bench / client-go: ${ratio}x"
  ratios+=("$ratio")
done
printf '%s\n' "${ratios[@]}" | sort -g | awk '{ r[NR] = $1 } END {
  printf "median of %d rounds: tikv-bench uses %.3fx client-go'"'"'s client CPU per operation\n", NR, r[int((NR + 1) / 2)] }'
