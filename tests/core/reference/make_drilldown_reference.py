#!/usr/bin/python3
"""Writes tests/data/drift/drilldown.json for tst_drift_drilldown: the drill-down's inputs and
numpy's answers (np.histogram over the pooled finite range, the ECDFs, the KS D location).
Run: /usr/bin/python3 tests/core/reference/make_drilldown_reference.py"""
import json
import math
import os
from collections import Counter

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "data", "drift", "drilldown.json")
BINS = 30


def encode(v):
    if v is None:
        return None
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return float(v)


def numeric_case(name, ref, cur):
    ref_nonnull = np.array([v for v in ref if v is not None], dtype=float)
    cur_nonnull = np.array([v for v in cur if v is not None], dtype=float)
    r = np.sort(ref_nonnull[~np.isnan(ref_nonnull)])
    c = np.sort(cur_nonnull[~np.isnan(cur_nonnull)])
    rf = r[np.isfinite(r)]
    cf = c[np.isfinite(c)]
    pooled = np.concatenate([rf, cf])
    case = {"name": name, "ref": [encode(v) for v in ref], "cur": [encode(v) for v in cur]}
    counts = {}
    for side, raw in (("ref", ref), ("cur", cur)):
        nn = [v for v in raw if v is not None]
        counts[side] = {
            "rows": len(raw), "nulls": len(raw) - len(nn),
            "nan": int(sum(1 for v in nn if math.isnan(v))),
            "posinf": int(sum(1 for v in nn if v == math.inf)),
            "neginf": int(sum(1 for v in nn if v == -math.inf)),
            "finite": int(sum(1 for v in nn if math.isfinite(v)))}
    case["counts"] = counts
    if pooled.size:
        lo, hi = pooled.min(), pooled.max()
        rng = (lo, hi) if lo != hi else (lo - 0.5, hi + 0.5)
        rc, edges = np.histogram(rf, bins=BINS, range=rng)
        cc, edges2 = np.histogram(cf, bins=BINS, range=rng)
        assert np.array_equal(edges, edges2)
        case["edges"] = [float(e) for e in edges]
        case["ref_counts"] = [int(x) for x in rc]
        case["cur_counts"] = [int(x) for x in cc]
    if r.size and c.size:
        xs = np.unique(np.concatenate([r, c]))
        f1 = np.searchsorted(r, xs, side="right") / r.size
        f2 = np.searchsorted(c, xs, side="right") / c.size
        diff = np.abs(f1 - f2)
        k = int(np.argmax(diff))  # first (smallest x) maximum
        case["ks"] = {"x": encode(xs[k]), "ref_f": float(f1[k]), "cur_f": float(f2[k]), "d": float(diff[k])}
    case["ref_distinct_finite"] = int(np.unique(rf).size)
    case["cur_distinct_finite"] = int(np.unique(cf).size)
    return case


def categorical_case(name, names, ref, cur, top):
    rc = Counter(x for x in ref if x >= 0)
    cc = Counter(x for x in cur if x >= 0)
    rn, cn = sum(rc.values()), sum(cc.values())
    rows = []
    for k in sorted(set(rc) | set(cc)):
        rs = rc[k] / rn if rn else 0.0
        cs = cc[k] / cn if cn else 0.0
        rows.append((names[k], rc[k], cc[k], rs, cs, rc[k] == 0))
    rows.sort(key=lambda t: (-max(t[3], t[4]), t[0]))
    unseen = sum(1 for t in rows if t[5])
    if len(rows) > top + 1:
        tail = rows[top:]
        r_o, c_o = sum(t[1] for t in tail), sum(t[2] for t in tail)
        rows = rows[:top] + [("(other)", r_o, c_o, r_o / rn if rn else 0.0, c_o / cn if cn else 0.0,
                              any(t[5] for t in tail))]
    return {"name": name, "names": names, "ref": ref, "cur": cur, "top": top,
            "ref_nulls": sum(1 for x in ref if x < 0), "cur_nulls": sum(1 for x in cur if x < 0),
            "unseen": unseen,
            "shares": [{"name": t[0], "ref_count": t[1], "cur_count": t[2], "ref_share": t[3],
                        "cur_share": t[4], "unseen": t[5]} for t in rows]}


def main():
    rng = np.random.default_rng(20261126)
    cases = []
    ref = list(np.round(rng.normal(0.0, 1.0, 3000), 2))
    cur = list(np.round(rng.normal(0.4, 1.3, 2500), 2))
    ref[5] = math.nan
    ref[6] = None
    ref[7] = math.inf
    cur[0] = -math.inf
    cur[1] = None
    cur[2] = None
    cur[3] = math.nan
    cases.append(numeric_case("shifted normal, rounded, NaN/Inf/null", ref, cur))
    cases.append(numeric_case("constant both", [3.0] * 20, [3.0] * 7 + [None]))
    cases.append(numeric_case("poisson ties", [float(x) for x in rng.poisson(3, 400)],
                              [float(x) for x in rng.poisson(5, 300)]))
    cases.append(numeric_case("tiny", [1.0, 2.0], [1.5]))
    cases.append(numeric_case("current all null", [1.0, 2.0, 3.0], [None, None]))
    cases.append(numeric_case("lognormal wide", list(rng.lognormal(0, 2, 5000)), list(rng.lognormal(0.3, 2, 4000))))
    names = ["c%02d" % i for i in range(30)]
    ref_codes = [int(x) for x in rng.choice(20, 2000, p=np.arange(20, 0, -1) / 210.0)] + [-1] * 13
    cur_codes = [int(x) for x in rng.choice(30, 1500)] + [-1] * 40
    cats = [categorical_case("many categories, unseen, nulls", names, ref_codes, cur_codes, 12),
            categorical_case("few", ["DE", "FR", "US"], [0, 0, 1, -1], [0, 2, 2, 2], 12)]
    with open(OUT, "w") as f:
        json.dump({"bins": BINS, "numeric": cases, "categorical": cats}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
