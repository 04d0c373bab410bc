#!/usr/bin/env bash
# Soak: an open-loop run at a fixed rate against a chaotic mock cluster (its
# own process, 3 stores: regions split and leaders move on their own, 1 % of
# requests are answered ServerIsBusy, and this script restarts a store three
# times), with every read verified. It passes when
#   - no operation failed and --verify found nothing lost or corrupt;
#   - the run's resident memory grew less than 2 % from the first fifth of
#     the run (minute 2 of 10) to its end (minute 10), each taken as the
#     mean over a tenth of the run (a minute of 10);
#   - every 5-second window of the run away from a store restart (from 1 s
#     before the stop to 4 s after the start) completed the target rate
#     within 1 %.
# It prints the figures and one line "soak: PASS" or "soak: FAIL (reasons)",
# and exits 0 or 1. Files are left in the output directory.
#
# Usage: bench/soak.sh [BUILD_DIR] [SECONDS] [RATE] [OUT_DIR]
#   (SOAK_RESTARTS=0 leaves the stores up, to tell memory growth from chaos;
#   SOAK_MEMORY=0 prints the memory figures without judging them: a short
#   run measures start-up, not a trend; SOAK_RESTART_EVERY=N restarts a
#   store every N s instead of 140, to see what each restart costs;
#   SOAK_DOWNTIME=S keeps it down S s instead of 3. The mock listens on
#   free ports, so soaks can run side by side)
#   bench/soak.sh build 600 5000    # the 10-minute soak
#   bench/soak.sh build 60 2000     # the 60-second version CI runs
set -euo pipefail
build=${1:-build}
seconds=${2:-600}
rate=${3:-5000}
out=${4:-$(mktemp -d)}
bin="$build/src/tikv-bench"
mkdir -p "$out"
mock=""
run=""
cleanup() {
  [ -n "$run" ] && kill "$run" 2>/dev/null || true
  [ -n "$mock" ] && kill "$mock" 2>/dev/null || true
}
trap cleanup EXIT

# The mock cluster, commanded through its stdin.
rm -f "$out/mock.stdin"
mkfifo "$out/mock.stdin"
"$bin" mock-cluster --pd 127.0.0.1:0 --store-ports 0,0,0 --stores 3 --replicas 3 --split-keys 0 --seed 7 \
  --chaos "split=10s,transfer-leader=5s,busy=1%" --exit-on-eof < "$out/mock.stdin" > "$out/mock.out" 2>&1 &
mock=$!
exec 3> "$out/mock.stdin"
for _ in $(seq 100); do grep -q '^ready' "$out/mock.out" && break; sleep 0.1; done
pd=$(awk '/^pd /{print $2}' "$out/mock.out")
[ -n "$pd" ] || { echo "soak: the mock cluster did not start (see $out/mock.out)" >&2; exit 2; }

cat > "$out/soak.yaml" <<YAML
name: soak
keyspace: {records: 20000}
values: {fields: 1, field_length: {distribution: uniform, min: 64, max: 512}}
mix: {read: 0.6, update: 0.35, scan: 0.05}
distribution: zipfian
scan_length: {distribution: uniform, min: 1, max: 20}
load: {rate: $rate, max_inflight: 20000, load_concurrency: 64}
verify: true
YAML
"$bin" load -P "$out/soak.yaml" --pd "$pd" > "$out/load.out" 2>&1

# A store restart (3 s down) every 140 s, the first at a tenth of the run:
# in the 10-minute run, the two minutes where memory is measured then lie
# equally far from the restart before them. A short run gets one restart.
restarts=()
at=$(( seconds / 10 ))
while [ "$at" -lt $(( seconds - 10 )) ]; do restarts+=("$at"); at=$(( at + ${SOAK_RESTART_EVERY:-140} )); done
[ "${SOAK_RESTARTS:-1}" = 1 ] || restarts=()

start_ns=$(date +%s%N)
"$bin" run -P "$out/soak.yaml" --pd "$pd" --duration "${seconds}s" --status-interval 1s --plain-status \
  --csv "$out/run.csv" --json "$out/run.json" > "$out/run.out" 2>&1 &
run=$!

elapsed() { echo $(( ($(date +%s%N) - start_ns) / 1000000000 )); }
: > "$out/rss.tsv"
: > "$out/restarts.tsv"
store=1
next=0
while kill -0 "$run" 2>/dev/null; do
  now=$(elapsed)
  # Seconds, resident KiB, threads (gRPC grows its pools under load).
  sample=$(awk '/^VmRSS:/{rss=$2} /^Threads:/{threads=$2} END{if (rss) print rss "\t" threads}' \
    "/proc/$run/status" 2>/dev/null || true)
  [ -n "$sample" ] && printf '%s\t%s\n' "$now" "$sample" >> "$out/rss.tsv"
  if [ "$next" -lt "${#restarts[@]}" ] && [ "$now" -ge "${restarts[$next]}" ]; then
    echo "stop-store $store" >&3
    stopped=$(elapsed)
    sleep "${SOAK_DOWNTIME:-3}"
    echo "start-store $store" >&3
    printf '%s\t%s\t%s\n' "$store" "$stopped" "$(elapsed)" >> "$out/restarts.tsv"
    store=$(( store % 3 + 1 ))
    next=$(( next + 1 ))
    continue
  fi
  sleep 1
done
set +e
wait "$run"
code=$?
run=""
set -e

python3 - "$out" "$seconds" "$rate" "$code" "${SOAK_MEMORY:-1}" <<'PY'
import csv, json, sys
out, seconds, rate, code = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
judge_memory = sys.argv[5] == "1"
failures = []
if code != 0:
    failures.append(f"the run exited {code}")
try:
    doc = json.load(open(f"{out}/run.json"))
except (OSError, ValueError) as e:
    print(f"soak: FAIL (no report: {e}; see {out}/run.out)")
    sys.exit(1)
verify = doc.get("verify") or {}
errors = doc["total"]["errors"]
print(f"operations: {doc['total']['count']} succeeded, {errors} failed, {doc['total']['ops_per_sec']:.1f} ops/s; "
      f"late starts: {doc.get('late', 0)}; "
      f"verify: checked {verify.get('checked', 0)}, lost {verify.get('lost', 0)}, corrupt {verify.get('corrupt', 0)}")
if errors:
    failures.append(f"{errors} operations failed")
if verify.get("lost", 0) or verify.get("corrupt", 0) or not verify.get("checked", 0):
    failures.append("verify found lost or corrupt values (or checked none)")
print("retries:", json.dumps(doc.get("retries_by_kind", {})))

# Memory: the mean over a tenth of the run from a fifth of it, against the
# mean over its last tenth.
samples = [line.split() for line in open(f"{out}/rss.tsv")]
rss = [(int(t), int(kib)) for t, kib, _ in samples]
threads = [int(n) for _, _, n in samples]
tenth = max(1, seconds // 10)
early = [kib for t, kib in rss if seconds // 5 <= t < seconds // 5 + tenth]
late = [kib for t, kib in rss if seconds - tenth <= t <= seconds]
if early and late:
    first, last = sum(early) / len(early), sum(late) / len(late)
    growth = 100.0 * (last - first) / first
    print(f"resident memory: {first / 1024:.1f} MiB over {seconds // 5}-{seconds // 5 + tenth} s, "
          f"{last / 1024:.1f} MiB over the last {tenth} s ({growth:+.2f} %), "
          f"peak {max(k for _, k in rss) / 1024:.1f} MiB; threads {threads[0]} at start, {max(threads)} at most, "
          f"{threads[-1]} at the end")
    if growth >= 2.0 and judge_memory:
        failures.append(f"resident memory grew {growth:.2f} %")
else:
    failures.append("too few memory samples")

# Throughput over 5-second windows, away from the store restarts. The
# status intervals (about 1 s each) are summed into the window they end in.
restarts = [tuple(map(int, line.split()[1:])) for line in open(f"{out}/restarts.tsv")]
window = 5
intervals = {}  # (end s, length s) -> operations ended in it, over all op types
with open(f"{out}/run.csv") as f:
    for row in csv.DictReader(f):
        if row["warmup"] == "1" or row["store"]:  # a store's rows repeat the cluster-wide ones
            continue
        key = (float(row["t_s"]), float(row["interval_s"]))
        intervals[key] = intervals.get(key, 0) + int(row["count"]) + int(row["errors"])
windows = {}  # index -> (operations, seconds)
for (t, length), count in intervals.items():
    if t > seconds + 0.5:  # the drain after the end
        continue
    index = int(t - 1e-6) // window
    ops, time = windows.get(index, (0, 0.0))
    windows[index] = (ops + count, time + length)
checked = off = 0
worst = 0.0
for index, (count, time) in sorted(windows.items()):
    begin, end = index * window, (index + 1) * window
    if end > seconds or time < window - 0.5:
        continue
    if any(begin < up + 4 and end > down - 1 for down, up in restarts):
        continue
    checked += 1
    deviation = 100.0 * (count / time - rate) / rate
    worst = max(worst, abs(deviation))
    if abs(deviation) > 1.0:
        off += 1
        print(f"window {begin}-{end} s: {count / time:.0f} ops/s ({deviation:+.2f} %)")
print(f"throughput: {checked} windows of {window} s outside restarts checked, {off} off by more than 1 %, "
      f"worst {worst:.2f} %; restarts (store, down s, up s): {restarts}")
if checked < seconds // window // 2:
    failures.append(f"only {checked} windows to check")
if off:
    failures.append(f"{off} windows off the target rate by more than 1 %")
print("soak: PASS" if not failures else f"soak: FAIL ({'; '.join(failures)})")
sys.exit(1 if failures else 0)
PY
