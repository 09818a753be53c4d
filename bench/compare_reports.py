#!/usr/bin/env python3
"""Compares two `vigil report` JSON files field by field, exactly.

Used when a hot path changes: the report before and after must hold the same numbers.
Floats are compared bit for bit (repr), NaN equal to NaN; object keys and list lengths
must match. Prints every difference (up to --max) with its path; exit status 1 if any.

    bench/compare_reports.py before.json after.json
"""
import argparse
import json
import math
import sys


def walk(a, b, path, out, limit):
    if len(out) >= limit:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{path}.{k}: only in {'second' if k not in a else 'first'}")
            else:
                walk(a[k], b[k], f"{path}.{k}", out, limit)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: length {len(a)} != {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]", out, limit)
    elif isinstance(a, float) and isinstance(b, float):
        if not (repr(a) == repr(b) or (math.isnan(a) and math.isnan(b))):
            out.append(f"{path}: {a!r} != {b!r}")
    elif type(a) is not type(b) or a != b:
        out.append(f"{path}: {a!r} != {b!r}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("first")
    p.add_argument("second")
    p.add_argument("--max", type=int, default=50, help="differences to print")
    args = p.parse_args()
    with open(args.first) as f:
        a = json.load(f)
    with open(args.second) as f:
        b = json.load(f)
    diffs = []
    walk(a, b, "", diffs, args.max)
    for d in diffs:
        print(d)
    if diffs:
        print(f"DIFFERENT ({len(diffs)}{'+' if len(diffs) >= args.max else ''} differences)")
        return 1
    print("identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
