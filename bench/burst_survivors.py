#!/usr/bin/env python3
"""Which allocations made during a window outlived it: reads the
recent.json and maps that bench/alloc_probe.c wrote into DIR, and prints the
records still live at the dump, by size and by the stack that made them
(allocator and standard-library frames skipped; symbols from addr2line).

Usage: bench/burst_survivors.py DIR [GROUPS] [FRAMES]"""
import bisect
import collections
import json
import subprocess
import sys

out_dir = sys.argv[1]
groups_shown = int(sys.argv[2]) if len(sys.argv) > 2 else 20
frames_shown = int(sys.argv[3]) if len(sys.argv) > 3 else 3

mappings = []
for line in open(f"{out_dir}/maps"):
    fields = line.split()
    if len(fields) >= 6 and "x" in fields[1]:
        begin, end = (int(x, 16) for x in fields[0].split("-"))
        mappings.append((begin, end, int(fields[2], 16), fields[5]))
mappings.sort()
begins = [m[0] for m in mappings]


def locate(address):
    i = bisect.bisect_right(begins, address) - 1
    if i >= 0 and mappings[i][0] <= address < mappings[i][1]:
        begin, _, offset, path = mappings[i]
        return path, address - begin + offset - 1  # the call, not the return address
    return None, address


names = {}


def name(path, offset):
    if (path, offset) not in names:
        lines = subprocess.run(["addr2line", "-f", "-C", "-e", path, hex(offset)],
                               capture_output=True, text=True).stdout.split("\n")
        names[(path, offset)] = lines[0][:100] if lines else "?"
    return names[(path, offset)]


SKIPPED = ("std::allocator", "std::__new_allocator", "std::__allocated_ptr", "std::__shared_count",
           "std::_Hashtable", "std::__detail", "std::vector", "_M_", "std::__n4861", "asio::detail",
           "asio::aligned_new", "std::_Function", "std::__invoke", "std::enable_if", "operator new")


def origin(record):
    frames = []
    for address in record["alloc_trace"]:
        path, offset = locate(int(address, 16))
        if not path or "jemalloc" in path or "libstdc++" in path:
            continue
        symbol = name(path, offset)
        if any(symbol.startswith(s) or s in symbol[:40] for s in SKIPPED):
            continue
        frames.append(symbol)
        if len(frames) == frames_shown:
            break
    return " < ".join(frames)


records = json.load(open(f"{out_dir}/recent.json"))["recent_alloc"]
live = [r for r in records if not r["released"]]
print(f"{len(records)} allocations recorded, {len(live)} still live at the dump, "
      f"{sum(r['usize'] for r in live)} bytes")
by_size = collections.Counter(r["usize"] for r in live)
print("live by size class:", ", ".join(f"{size} B x{n}" for size, n in by_size.most_common(12)))
by_origin = collections.Counter()
sizes = collections.defaultdict(collections.Counter)
for r in live:
    key = origin(r)
    by_origin[key] += 1
    sizes[key][r["usize"]] += 1
for key, n in by_origin.most_common(groups_shown):
    print(f"{n:6d}  {dict(sizes[key])}  {key}")
