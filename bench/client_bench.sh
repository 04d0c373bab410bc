#!/usr/bin/env bash
# Runs client_bench over its configurations in one go, each in a fresh
# process, against a fresh mock cluster process: batch transport with 1,000,
# 10,000 and 100,000 requests in flight, unary with 1,000, and h2load sending
# unary RawGet to the same store. Then ROUNDS rounds of the batch transport
# at 1,000 in flight, with one loop and with one per core (the default),
# each round beside an h2load run, printing the ratios of their CPU per
# request: the machine's speed drifts, so a ratio means most when both sides
# ran moments apart. Compare the figures within one run.
#
# Usage: bench/client_bench.sh [BUILD_DIR] [SECONDS] [ROUNDS]
set -euo pipefail
build=${1:-build}
seconds=${2:-5}
rounds=${3:-3}
bench="$build/bench/client_bench"
command -v h2load >/dev/null || { echo "h2load missing: apt-get install nghttp2-client" >&2; exit 2; }

"$bench" --transport batch --inflight 1000 --seconds "$seconds"
"$bench" --transport batch --inflight 10000 --seconds "$seconds"
"$bench" --transport batch --inflight 100000 --seconds "$seconds"
"$bench" --transport unary --inflight 1000 --seconds "$seconds"
"$bench" --h2load --requests 500000 --h2load-streams 100 --h2load-conns 4

cpu_of() { sed -n 's/.*client_cpu_us_per_op=\([0-9.]*\).*/\1/p'; }
for round in $(seq "$rounds"); do
  one=$("$bench" --inflight 1000 --seconds 4 --loops 1 | cpu_of)
  two=$("$bench" --inflight 1000 --seconds 4 | cpu_of)
  h2=$("$bench" --h2load --requests 300000 | cpu_of)
  awk -v r="$round" -v one="$one" -v two="$two" -v h2="$h2" -v n="$(nproc)" 'BEGIN {
    printf "round %d: batch %.3f us (1 loop), %.3f us (%d loops); h2load %.3f us; ratio %.2fx, %.2fx\n",
      r, one, two, n, h2, one / h2, two / h2 }'
done
