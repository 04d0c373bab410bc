#!/usr/bin/env bash
# tikv-bench's client against TiKV's own (client-go, bench/peer) and
# h2load, on one mock cluster process, in alternating rounds. Each round
# runs the three one after the other (the order rotating round by round):
# tikv-bench's client (client_bench) and client-go at INFLIGHT operations in
# flight, over go-ycsb's raw keys for 10,000 records (RawGet reads; with
# READ_PROPORTION below 1, RawPut updates for the rest), and h2load sending
# one unary RawGet over 4 connections of 100 streams. For each it prints
# ops/s, client CPU per operation, p50/p99, resident memory and the memory
# per operation in flight, and the mock's CPU per request over the same
# timed window, then the cores the two processes kept busy: when they fill
# the machine, the figures are the machine's bound as much as the client's.
# The last lines are the medians over the rounds and the ratios to
# client-go and h2load.
#
# Usage: bench/peer.sh [BUILD_DIR] [INFLIGHT] [ROUNDS] [SECONDS]
# Environment: READ_PROPORTION (default 1), H2LOAD_REQUESTS (default 300000).
# Needs Go (the peer is built into a temporary directory from bench/peer)
# and h2load (nghttp2-client).
set -euo pipefail
build=${1:-build}
inflight=${2:-1000}
rounds=${3:-5}
seconds=${4:-4}
reads=${READ_PROPORTION:-1}
h2_requests=${H2LOAD_REQUESTS:-300000}
here=$(cd "$(dirname "$0")" && pwd)
command -v h2load >/dev/null || { echo "h2load missing: apt-get install nghttp2-client" >&2; exit 2; }
tmp=$(mktemp -d)
mock=
trap '[ -n "$mock" ] && kill "$mock" 2>/dev/null; rm -rf "$tmp"' EXIT
(cd "$here/peer" && go build -o "$tmp/peer" .)
"$build/src/tikv-bench" mock-cluster --pd 127.0.0.1:0 --stores 1 > "$tmp/mock.out" 2>&1 &
mock=$!
for _ in $(seq 300); do grep -q '^ready' "$tmp/mock.out" && break; sleep 0.1; done
pd=$(sed -n 's/^pd //p' "$tmp/mock.out" | head -1)
[ -n "$pd" ] || { cat "$tmp/mock.out" >&2; exit 3; }
cores=$(nproc)
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }
# report NAME LINE IN_FLIGHT: prints one client's figures; appends its CPU
# per op and memory per operation in flight to $tmp/NAME.
report() {
  local name=$1 line=$2 in_flight=$3
  local ops cpu server p50 p99 rss
  ops=$(field ops_per_s <<< "${line/ops_per_sec=/ops_per_s=}")
  cpu=$(field client_cpu_us_per_op <<< "$line"); server=$(field server_cpu_us_per_op <<< "$line")
  p50=$(field p50_us <<< "$line"); p99=$(field p99_us <<< "$line"); rss=$(field rss_mib <<< "$line")
  awk -v n="$name" -v ops="$ops" -v cpu="$cpu" -v s="$server" -v p50="$p50" -v p99="$p99" -v rss="$rss" \
      -v k="$in_flight" -v cores="$cores" 'BEGIN {
    busy = ops * (cpu + s) / 1e6
    printf "  %-10s %9.0f ops/s  %7.3f us CPU/op  p50 %6d us  p99 %6d us  %7.1f MiB  %6.2f KiB per op in flight  mock %.3f us/op  cores busy %.2f of %d%s\n",
      n, ops, cpu, p50, p99, rss, rss * 1024 / k, s, busy, cores, (busy >= 0.9 * cores ? " (machine saturated)" : "") }'
  echo "$cpu $(awk -v r="$rss" -v k="$in_flight" 'BEGIN { print r * 1024 / k }')" >> "$tmp/$name"
}
run_ours() {
  report tikv-bench "$("$build/bench/client_bench" --pd "$pd" --server-pid "$mock" --inflight "$inflight" \
    --seconds "$seconds" --read-proportion "$reads" --no-load | tail -1)" "$inflight"
}
run_peer() {
  local line
  line=$("$tmp/peer" --pd "$pd" --server-pid "$mock" --inflight "$inflight" --seconds "$seconds" \
    --read-proportion "$reads" -load=false 2>&1 | grep '^peer:')
  report client-go "$line" "$inflight"
}
run_h2load() {
  report h2load "$("$build/bench/client_bench" --h2load --pd "$pd" --server-pid "$mock" \
    --requests "$h2_requests" | tail -1)" 400
}
"$build/bench/client_bench" --pd "$pd" --inflight 1 --seconds 0.1 > /dev/null  # loads the records
for round in $(seq "$rounds"); do
  echo "round $round ($inflight in flight, ${seconds}s each; h2load: $h2_requests requests, 400 in flight):"
  case $((round % 3)) in
    1) run_ours; run_peer; run_h2load ;;
    2) run_peer; run_h2load; run_ours ;;
    0) run_h2load; run_ours; run_peer ;;
  esac
done
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ours=$(cut -d' ' -f1 "$tmp/tikv-bench" | median); theirs=$(cut -d' ' -f1 "$tmp/client-go" | median)
h2=$(cut -d' ' -f1 "$tmp/h2load" | median)
ours_mem=$(cut -d' ' -f2 "$tmp/tikv-bench" | median); theirs_mem=$(cut -d' ' -f2 "$tmp/client-go" | median)
paste -d' ' "$tmp/tikv-bench" "$tmp/client-go" "$tmp/h2load" > "$tmp/rounds"
go_ratio=$(awk '{ print $1 / $3 }' "$tmp/rounds" | median)
h2_ratio=$(awk '{ print $1 / $5 }' "$tmp/rounds" | median)
echo "medians of $rounds rounds at $inflight in flight:"
printf '  client CPU per op: tikv-bench %.3f us, client-go %.3f us, h2load %.3f us\n' "$ours" "$theirs" "$h2"
printf '  tikv-bench / client-go: %.3fx (median of the rounds'"'"' ratios; goal <= 0.2x at 1,000 in flight)\n' "$go_ratio"
printf '  tikv-bench / h2load:    %.3fx\n' "$h2_ratio"
printf '  memory per operation in flight: tikv-bench %.2f KiB, client-go %.2f KiB (%.3fx)\n' \
  "$ours_mem" "$theirs_mem" "$(awk -v a="$ours_mem" -v b="$theirs_mem" 'BEGIN { print a / b }')"
