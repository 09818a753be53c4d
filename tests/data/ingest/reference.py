#!/usr/bin/env python3
"""Independent reading of a test log (Python json/csv/datetime) for tst_ingest_schema.

usage: reference.py FILE TS_PATH [PATH[*SCALE] ...]
Prints JSON: rows kept, the sum of their epoch-ms timestamps, and per numeric path the
count of non-null values, the sum of finite ones and the NaN/+Inf/-Inf counts.
Rows whose timestamp is missing or unparseable are skipped, like the loader does.
"""
import csv
import datetime as dt
import json
import math
import sys


def lookup(row, path):
    if path in row:
        return row[path]
    node = row
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def to_number(v):
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def epoch_ms(v):
    if isinstance(v, str):
        try:
            v = int(v) if v.strip().lstrip("-").isdigit() else float(v)
        except ValueError:
            try:
                t = dt.datetime.fromisoformat(v.strip())
            except ValueError:
                return None
            if t.tzinfo is None:
                t = t.replace(tzinfo=dt.timezone.utc)
            return (t - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)) // dt.timedelta(milliseconds=1)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return None
    mag = abs(v)
    scale = 1e3 if mag < 1e11 else 1 if mag < 1e14 else 1e-3 if mag < 1e17 else 1e-6
    if isinstance(v, int) and scale < 1:
        return v // int(round(1 / scale))
    return int(math.floor(v * scale + 0.5))


def rows_of(path):
    if path.endswith(".csv"):
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                yield {k: (None if v == "" else v) for k, v in row.items()}
    else:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if isinstance(row, dict):
                    yield row


def main():
    path, ts_path, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
    cols = {}
    for spec in specs:
        name, _, scale = spec.partition("*")
        cols[name] = {"scale": float(scale or 1), "valid": 0, "sum": 0.0, "nan": 0, "posinf": 0, "neginf": 0}
    rows, ts_sum = 0, 0
    for row in rows_of(path):
        ms = epoch_ms(lookup(row, ts_path))
        if ms is None:
            continue
        rows += 1
        ts_sum += ms
        for name, c in cols.items():
            v = to_number(lookup(row, name))
            if v is None:
                continue
            c["valid"] += 1
            if math.isnan(v):
                c["nan"] += 1
            elif math.isinf(v):
                c["posinf" if v > 0 else "neginf"] += 1
            else:
                c["sum"] += v * c["scale"]
    for c in cols.values():
        del c["scale"]
    print(json.dumps({"rows": rows, "ts_sum": ts_sum, "cols": cols}))


if __name__ == "__main__":
    main()
