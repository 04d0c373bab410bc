#!/usr/bin/env bash
# Runs client_bench over its configurations in one go, each in a fresh
# process, against a fresh mock cluster process: batch transport with 1,000,
# 10,000 and 100,000 requests in flight, unary with 1,000, and h2load sending
# unary RawGet to the same store. Compare the figures within one run.
#
# Usage: bench/client_bench.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
build=${1:-build}
seconds=${2:-5}
bench="$build/bench/client_bench"
command -v h2load >/dev/null || { echo "h2load missing: apt-get install nghttp2-client" >&2; exit 2; }

"$bench" --transport batch --inflight 1000 --seconds "$seconds"
"$bench" --transport batch --inflight 10000 --seconds "$seconds"
"$bench" --transport batch --inflight 100000 --seconds "$seconds"
"$bench" --transport unary --inflight 1000 --seconds "$seconds"
"$bench" --h2load --requests 500000 --h2load-streams 100 --h2load-conns 4
