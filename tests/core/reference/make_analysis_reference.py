#!/usr/bin/env python3
"""Writes tests/data/stats/analysis_reference.json: generated prediction-log
tables (unsorted and negative timestamps, 3 versions plus nulls, NaN/Inf, nulls
in every column) and the per-window results computed here with numpy/sklearn,
for tst_analysis. Deterministic; rerun with
    python3 tests/core/reference/make_analysis_reference.py"""
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_metrics import (class_label_metrics, enc, encode_metrics, quantiles,  # noqa: E402
                            regression_metrics, score_metrics)

rng = np.random.default_rng(7)
NAN, INF = float("nan"), float("inf")
VERSIONS = ["v1", "v2", "v3"]


def sprinkle(values, null_p=0.0, nan_p=0.0, inf_p=0.0):
    out = []
    for v in values:
        r = rng.random()
        if r < null_p:
            out.append(None)
        elif r < null_p + nan_p:
            out.append(NAN)
        elif r < null_p + nan_p + inf_p:
            out.append(INF if rng.random() < 0.5 else -INF)
        else:
            out.append(float(v))
    return out


def make_table(n, kind):
    # Spans the epoch so that windows before 1970 are floored, in shuffled order.
    ts = rng.integers(-5_400_000, 5_400_000, n)
    version = []
    for t in ts:
        r = rng.random()
        if r < 0.05:
            version.append(None)
        elif t > 1_000_000 and r < 0.4:
            version.append("v3")  # a later rollout
        else:
            version.append("v1" if r < 0.7 else "v2")
    latency = sprinkle(rng.lognormal(3, 0.7, n), null_p=0.05, nan_p=0.02, inf_p=0.01)
    status = rng.integers(0, 3, n).tolist()  # 0 ok, 1 error, 2 unknown
    if kind == "Regression":
        label = rng.normal(20, 5, n)
        prediction = label + rng.normal(0, 2, n)
        label = sprinkle(label, null_p=0.2, nan_p=0.01)
    elif kind == "ClassLabel":  # a few predictions outside {0,1} must be excluded
        score = rng.random(n)
        label = sprinkle((rng.random(n) < score).astype(float), null_p=0.3, nan_p=0.01)
        prediction = np.where(rng.random(n) < 0.01, 2.0, (score >= 0.5).astype(float))
    else:
        prediction = rng.random(n)
        label = (rng.random(n) < prediction).astype(float)
        label = sprinkle(label, null_p=0.3, nan_p=0.01)
    prediction = sprinkle(prediction, null_p=0.03, nan_p=0.01)
    kpis = {
        "revenue": sprinkle(rng.exponential(10, n), null_p=0.3, nan_p=0.02, inf_p=0.005),
        "converted": sprinkle((rng.random(n) < 0.2).astype(float), null_p=0.1),
    }
    return dict(tsMs=ts.tolist(), version=version, latencyMs=latency, status=status,
                prediction=prediction, label=label, kpis=kpis)


def is_finite(v):
    return v is not None and math.isfinite(v)


def window_stats(table, rows, start, window_ms, kind, threshold, ratios):
    lat = [table["latencyMs"][i] for i in rows if table["latencyMs"][i] is not None]
    status = [table["status"][i] for i in rows]
    known = sum(1 for s in status if s != 2)
    errors = sum(1 for s in status if s == 1)
    pred = [table["prediction"][i] for i in rows]
    lab = [table["label"][i] for i in rows]
    pairs = [(p, y) for p, y in zip(pred, lab) if p is not None and y is not None]
    p = [a for a, _ in pairs]
    y = [b for _, b in pairs]
    if kind == "Score":
        m = score_metrics(p, y, threshold)
    elif kind == "ClassLabel":
        m = class_label_metrics(p, y)
    else:
        m = regression_metrics(p, y)
    m.pop("used")
    m.pop("excluded")
    q = quantiles(lat, [0.5, 0.9, 0.95, 0.99])
    out = dict(
        startMs=start, endMs=start + window_ms, rows=len(rows),
        labeled=sum(1 for v in lab if v is not None),
        errors=errors, statusKnown=known,
        errorRate=enc(errors / known) if known else None,
        throughputPerS=len(rows) / (window_ms / 1000.0),
        latency=[enc(v) for v in q],
        nonFinite=dict(latency=sum(1 for v in lat if not math.isfinite(v)),
                       prediction=sum(1 for v in pred if v is not None and not math.isfinite(v)),
                       label=sum(1 for v in lab if v is not None and not math.isfinite(v))),
        performance=encode_metrics(m),
        kpis=[],
        ratios=[],
    )
    agg = {}
    for name, values in table["kpis"].items():
        vals = [values[i] for i in rows if values[i] is not None]
        finite = np.array([v for v in vals if math.isfinite(v)], dtype=np.float64)
        s = float(finite.sum()) if finite.size else 0.0
        mean = float(finite.mean()) if finite.size else None
        out["kpis"].append(dict(name=name, sum=s, mean=enc(mean), count=len(vals),
                                nonFinite=len(vals) - int(finite.size)))
        agg[name] = dict(sum=s, mean=mean, count=len(vals))
    base = dict(rows=len(rows), labeled=out["labeled"])
    for name, (num, den) in ratios:
        def term(t):
            if t in base:
                return base[t]
            fn, kpi = t
            return agg[kpi][fn]
        a, b = term(num), term(den)
        out["ratios"].append(dict(name=name, value=None if a is None or b is None or b == 0 else enc(a / b)))
    return out


def analyze(table, window_ms, kind, threshold, ratios):
    ts = table["tsMs"]
    starts = {}
    for i, t in enumerate(ts):
        starts.setdefault((t // window_ms) * window_ms, []).append(i)
    windows = [window_stats(table, rows, s, window_ms, kind, threshold, ratios)
               for s, rows in sorted(starts.items())]
    seg_names = [v if v is not None else "(none)" for v in table["version"]]
    first = {}
    for i, (t, v) in enumerate(zip(ts, seg_names)):
        if v not in first or (t, i) < first[v]:
            first[v] = (t, i)
    by_version = []
    for v in sorted(first, key=lambda k: first[k]):
        seg = {}
        for s, rows in sorted(starts.items()):
            sub = [i for i in rows if seg_names[i] == v]
            if sub:
                seg[s] = window_stats(table, sub, s, window_ms, kind, threshold, ratios)
        by_version.append(dict(version=v, windows=[seg[s] for s in sorted(seg)]))
    return dict(windows=windows, byVersion=by_version)


def enc_table(t):
    def col(values):
        return [None if v is None else enc(v) for v in values]
    return dict(tsMs=t["tsMs"], version=t["version"], latencyMs=col(t["latencyMs"]), status=t["status"],
                prediction=col(t["prediction"]), label=col(t["label"]),
                kpis={k: col(v) for k, v in t["kpis"].items()})


RATIO_SPECS = [
    ("conversion", "sum(converted) / rows", ("sum", "converted"), "rows"),
    ("revenue_per_conversion", " sum( revenue ) /sum(converted)", ("sum", "revenue"), ("sum", "converted")),
    ("mean_revenue_per_labeled", "mean(revenue)/labeled", ("mean", "revenue"), "labeled"),
    ("count_ratio", "count(revenue) / count(converted)", ("count", "revenue"), ("count", "converted")),
]


def ratio_terms():
    return [(name, (num, den)) for name, _, num, den in RATIO_SPECS]


scenarios = []
# requested = the mapping's prediction kind ("Auto" lets the engine decide).
for name, n, kind, requested, window_ms, threshold in [
    ("score_15m", 3000, "Score", "Auto", 900_000, 0.5),
    ("score_auto_1m", 1500, "Score", "Auto", None, 0.35),
    ("regression_1h", 1500, "Regression", "Auto", 3_600_000, 0.5),
    ("classlabel_1h", 1500, "ClassLabel", "ClassLabel", 3_600_000, 0.5),
]:
    table = make_table(n, kind)
    lo, hi = min(table["tsMs"]), max(table["tsMs"])
    effective = window_ms
    if effective is None:  # chooseWindowMs: smallest standard size giving <= 500 windows
        for size in [60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000]:
            if (hi // size) - (lo // size) + 1 <= 500:
                effective = size
                break
    expected = analyze(table, effective, kind, threshold, ratio_terms())
    expected.update(windowMs=effective, predictionKind=kind, threshold=threshold)
    scenarios.append(dict(name=name, table=enc_table(table), requestedKind=requested,
                          windowMs=window_ms, threshold=threshold,
                          ratios=[dict(name=r[0], expression=r[1]) for r in RATIO_SPECS],
                          expected=expected))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "stats",
                    "analysis_reference.json")
with open(path, "w") as f:
    json.dump(dict(scenarios=scenarios), f, allow_nan=False, separators=(",", ":"))
    f.write("\n")
print("wrote", os.path.normpath(path))
