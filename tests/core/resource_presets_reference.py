#!/usr/bin/env python3
"""Expected preset charts for tests/data/resource_presets/matrix.json, computed with
plain Python from the PromQL each chart stands for (independent of Vigil's C++):

  cpu_mode      100 * sum by (instance, mode) (rate(node_cpu_seconds_total)) / sum by (instance) (...), idle not
                drawn, nor modes that never reach 0.5 %
  memory        (node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes) / 2^30
  filesystem    100 * (1 - node_filesystem_avail_bytes / node_filesystem_size_bytes)
  disk          rate(node_disk_{read,written}_bytes_total) / 2^20       (counter reset: increase = new value)
  gpu_util      DCGM_FI_DEV_GPU_UTIL                                      (NaN kept)
  gpu_memory    100 * FB_USED / (FB_USED + FB_FREE)                       (DCGM sentinel >= 9e18: no value)
  request_rate  sum by (instance) (rate(*_requests_total))                (promhttp_* left out)
  error_rate    100 * rate(5xx or failure) / rate(all)
  latency       1000 * histogram_quantile(q, sum by (le) (rate(..._bucket))); Triton: rate(duration_us)/rate(success) / 1000

Rates are between consecutive samples (the per-scrape rate the live view draws).
Prints JSON: {chart: {line: [[t_ms, value or "NaN"], ...]}}."""
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "..", "data", "resource_presets", "matrix.json")


def load():
    with open(PATH) as f:
        data = json.load(f)["data"]["result"]
    out = []
    for r in data:
        m = dict(r["metric"])
        out.append((m, [(int(t) * 1000, float(v)) for t, v in r["values"]]))
    return out


def rate(points):
    out = []
    for (t0, v0), (t1, v1) in zip(points, points[1:]):
        inc = v1 if v1 < v0 else v1 - v0
        out.append((t1, inc / ((t1 - t0) / 1000.0)))
    return out


def increase(points):
    return [(t1, v1 if v1 < v0 else v1 - v0) for (t0, v0), (t1, v1) in zip(points, points[1:])]


def add(a, b):
    d = dict(a)
    for t, v in b:
        d[t] = d.get(t, 0.0) + v
    return sorted(d.items())


def zipf(a, b, f):
    db = dict(b)
    return [(t, f(v, db[t])) for t, v in a if t in db]


def quantile(q, buckets):
    buckets = sorted(buckets)
    total = buckets[-1][1]
    if total <= 0:
        return float("nan")
    rank = q * total
    prev_bound, prev_count = 0.0, 0.0
    for i, (bound, count) in enumerate(buckets):
        if count >= rank:
            if math.isinf(bound):
                return buckets[i - 1][0]
            return prev_bound + (bound - prev_bound) * (rank - prev_count) / (count - prev_count)
        prev_bound, prev_count = bound, count
    return float("nan")


def main():
    series = load()

    def pick(name, inst=None, **labels):
        return [(m, p) for m, p in series if m["__name__"] == name and (inst is None or m["instance"] == inst)
                and all(m.get(k) == v for k, v in labels.items())]

    out = {}
    cpu = {}
    for inst in ("n1:9100", "n2:9100"):
        modes = {}
        for m, p in pick("node_cpu_seconds_total", inst):
            modes[m["mode"]] = add(modes.get(m["mode"], []), rate(p))
        total = []
        for r in modes.values():
            total = add(total, r)
        for mode, r in modes.items():
            share = zipf(r, total, lambda a, b: 100 * a / b)
            if mode != "idle" and any(v >= 0.5 for _, v in share):
                cpu[f"{inst} {mode}"] = share
    out["cpu_mode"] = cpu

    G = 1024.0 ** 3
    (_, tot), = pick("node_memory_MemTotal_bytes")
    (_, av), = pick("node_memory_MemAvailable_bytes")
    out["memory"] = {"used": zipf(tot, av, lambda a, b: (a - b) / G)}
    (_, fa), = pick("node_filesystem_avail_bytes")
    (_, fs), = pick("node_filesystem_size_bytes")
    out["filesystem"] = {"/": zipf(fa, fs, lambda a, b: 100 * (1 - a / b))}
    M = 1024.0 ** 2
    (_, rd), = pick("node_disk_read_bytes_total")
    (_, wr), = pick("node_disk_written_bytes_total")
    out["disk"] = {"sda read": [(t, v / M) for t, v in rate(rd)], "sda write": [(t, v / M) for t, v in rate(wr)]}
    (_, gu), = pick("DCGM_FI_DEV_GPU_UTIL")
    out["gpu_util"] = {"0": gu}
    (_, fu), = pick("DCGM_FI_DEV_FB_USED")
    (_, ff), = pick("DCGM_FI_DEV_FB_FREE")
    out["gpu_memory"] = {"0": zipf(fu, ff, lambda u, f: float("nan") if u >= 9e18 else 100 * u / (u + f))}

    reqs = pick("model_requests_total", "m1:8080")
    allr, errr = [], []
    for m, p in reqs:
        allr = add(allr, rate(p))
        if m["status"].startswith("5"):
            errr = add(errr, rate(p))
    ts = pick("nv_inference_request_success", "t1:8002")[0][1]
    tf = pick("nv_inference_request_failure", "t1:8002")[0][1]
    tall = add(rate(ts), rate(tf))
    out["request_rate"] = {"m1:8080 requests": allr, "t1:8002 requests": tall}
    out["error_rate"] = {"m1:8080 errors": zipf(errr, allr, lambda e, a: 100 * e / a),
                         "t1:8002 errors": zipf(rate(tf), tall, lambda e, a: 100 * e / a)}
    buckets = {}
    for m, p in pick("model_request_duration_seconds_bucket", "m1:8080"):
        le = float("inf") if m["le"] == "+Inf" else float(m["le"])
        for t, v in increase(p):
            buckets.setdefault(t, []).append((le, v))
    lat = {}
    for q, name in ((0.5, "p50"), (0.95, "p95"), (0.99, "p99")):
        lat[f"m1:8080 {name}"] = [(t, 1000 * quantile(q, b)) for t, b in sorted(buckets.items())]
    dur = pick("nv_inference_request_duration_us", "t1:8002")[0][1]
    lat["t1:8002 mean"] = zipf(rate(dur), rate(ts), lambda d, c: d / c / 1000)
    out["latency"] = lat

    def enc(v):
        return "NaN" if math.isnan(v) else v
    json.dump({c: {l: [[t, enc(v)] for t, v in pts] for l, pts in lines.items()} for c, lines in out.items()},
              sys.stdout, indent=1)


if __name__ == "__main__":
    main()
