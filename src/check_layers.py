#!/usr/bin/env python3
"""Holds every #include in src/ to the layer table of docs/architecture.md.

The table (the first Markdown table under the heading "Layers") has one row
per layer: its name, the files it holds (globs relative to src/, in
backquotes; the first row whose globs match a file owns it) and the layers
it may include. A file may include its own layer and the layers listed;
generated protobuf headers (*.pb.h) belong to the layer `proto`.

Prints the include edges between layers with their counts, then every
include the table does not allow, and exits 1 if there is one. With
--stamp FILE it writes FILE when all is well (the build's `layers` target).
"""

import argparse
import fnmatch
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)
CODE = re.compile(r'`([^`]+)`')


def read_table(path):
    """Returns [(layer, [globs], {allowed layers})] in table order."""
    lines = path.read_text().splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if re.match(r'^#+\s+Layers\b', line))
    except StopIteration:
        sys.exit(f'{path}: no "Layers" heading')
    rows = []
    for line in lines[start + 1:]:
        if not line.startswith('|'):
            if rows:
                break
            continue
        cells = [cell.strip() for cell in line.strip().strip('|').split('|')]
        if len(cells) < 3 or set(cells[0]) <= set('-: ') or cells[0].lower() == 'layer':
            continue
        layer = cells[0].strip('`*')
        globs = CODE.findall(cells[1])
        allowed = {name for name in CODE.findall(cells[2])}
        if not globs:
            sys.exit(f'{path}: layer {layer} names no files')
        rows.append((layer, globs, allowed))
    if not rows:
        sys.exit(f'{path}: the "Layers" table is empty')
    names = {row[0] for row in rows}
    for layer, _, allowed in rows:
        unknown = allowed - names
        if unknown:
            sys.exit(f'{path}: layer {layer} may include unknown layers {sorted(unknown)}')
    return rows


def layer_of(relative, rows):
    for layer, globs, _ in rows:
        if any(fnmatch.fnmatchcase(relative, glob) for glob in globs):
            return layer
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--table', required=True, type=pathlib.Path)
    parser.add_argument('--src', required=True, type=pathlib.Path)
    parser.add_argument('--stamp', type=pathlib.Path)
    args = parser.parse_args()

    rows = read_table(args.table)
    allowed = {layer: names for layer, _, names in rows}
    edges = {}
    problems = []
    for path in sorted(args.src.rglob('*')):
        if path.suffix not in ('.h', '.cc', '.in') or not path.is_file():
            continue
        relative = path.relative_to(args.src).as_posix()
        source = layer_of(relative, rows)
        if source is None:
            problems.append(f'src/{relative}: in no layer of the table')
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            included = match.group(1)
            target = 'proto' if included.endswith('.pb.h') else layer_of(included, rows)
            if target is None:
                problems.append(f'src/{relative}:{number}: includes "{included}", in no layer of the table')
                continue
            if target == source:
                continue
            edges[(source, target)] = edges.get((source, target), 0) + 1
            if target not in allowed[source]:
                problems.append(f'src/{relative}:{number}: {source} may not include {target} ("{included}")')

    print('include edges between layers (count):')
    for (source, target), count in sorted(edges.items()):
        mark = '' if target in allowed[source] else '   <- not allowed'
        print(f'  {source:>13} -> {target:<13} {count:4}{mark}')
    for problem in problems:
        print(problem)
    if problems:
        print(f'{len(problems)} include(s) against {args.table}')
        return 1
    if args.stamp:
        args.stamp.write_text('ok\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
