#!/usr/bin/env python3
"""Reference values for the drift statistics (tests/core/tst_drift_*.cpp).

Independent oracle: SciPy 1.10 / NumPy 1.24 (Debian 12). Run from the repository root:

    /usr/bin/python3 tests/core/reference/make_drift_reference.py

Writes tests/data/drift/reference.json. Large samples are not stored: they are described
by a tiny deterministic generator (a 64-bit LCG) that the C++ test re-implements with
the same IEEE operations in the same order, so both sides see bit-identical inputs.
Non-finite numbers are written as the strings "nan", "inf", "-inf" (JSON has no NaN).
"""
import json
import math
import os
import sys

import numpy as np
from scipy import stats
from scipy.spatial import distance

MASK64 = (1 << 64) - 1
LCG_A = 6364136223846793005
LCG_C = 1442695040888963407


def lcg_uniforms(seed, count):
    state = seed & MASK64
    out = []
    for _ in range(count):
        state = (state * LCG_A + LCG_C) & MASK64
        out.append((state >> 11) * (1.0 / 9007199254740992.0))
    return out


def generate(spec):
    """Sample from {"seed", "n", "dist": "uniform"|"irwin", "loc", "scale", "quantum"}."""
    n = spec["n"]
    per = 4 if spec["dist"] == "irwin" else 1
    u = lcg_uniforms(spec["seed"], n * per)
    values = []
    for i in range(n):
        if per == 4:
            base = u[4 * i] + u[4 * i + 1]
            base = base + u[4 * i + 2]
            base = base + u[4 * i + 3]
            base = base - 2.0
        else:
            base = u[i]
        v = spec["loc"] + spec["scale"] * base
        if spec.get("quantum", 0.0) > 0.0:
            v = math.floor(v / spec["quantum"]) * spec["quantum"]
        values.append(v)
    return values


def encode_value(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def sample(values=None, gen=None, extra=None):
    """A sample description for the JSON, and its values for the oracle."""
    desc = {}
    vals = []
    if gen is not None:
        desc["gen"] = gen
        vals += generate(gen)
    if values is not None:
        desc["values"] = [encode_value(float(v)) for v in values]
        vals += [float(v) for v in values]
    if extra is not None:
        desc["extra"] = [encode_value(float(v)) for v in extra]
        vals += [float(v) for v in extra]
    return desc, np.array(vals, dtype=float)


def gen(seed, n, dist="irwin", loc=0.0, scale=1.0, quantum=0.0):
    return {"seed": seed, "n": n, "dist": dist, "loc": loc, "scale": scale, "quantum": quantum}


def opt(x):
    return None if x is None else float(x)


def quantile_edges(ref_non_nan):
    finite = ref_non_nan[np.isfinite(ref_non_nan)]
    if finite.size == 0:
        return np.array([])
    qs = np.arange(1, 10) / 10.0
    return np.unique(np.quantile(finite, qs))


def bin_counts(edges, values):
    idx = np.searchsorted(edges, values, side="right")
    return np.bincount(idx, minlength=edges.size + 1).astype(float)


def psi(ref_counts, cur_counts):
    p = np.clip(ref_counts / ref_counts.sum(), 1e-4, None)
    q = np.clip(cur_counts / cur_counts.sum(), 1e-4, None)
    return float(np.sum((q - p) * np.log(q / p)))


def hellinger(ref_counts, cur_counts):
    p = ref_counts / ref_counts.sum()
    q = cur_counts / cur_counts.sum()
    return float(np.sqrt(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2)) / np.sqrt(2))


def js(ref_counts, cur_counts):
    return float(distance.jensenshannon(ref_counts, cur_counts, base=2))


def numeric_case(name, ref_desc, ref, cur_desc, cur):
    r = ref[~np.isnan(ref)]
    c = cur[~np.isnan(cur)]
    case = {"name": name, "ref": ref_desc, "cur": cur_desc,
            "missing": int(np.isnan(cur).sum()), "rows": int(cur.size),
            "ref_missing": int(np.isnan(ref).sum()), "ref_rows": int(ref.size)}
    if r.size == 0 or c.size == 0:
        case.update({"ks_d": None, "ks_p": None, "w1": None, "w1_normed": None,
                     "psi": None, "js": None, "hellinger": None})
        case["edges"] = [encode_value(e) for e in quantile_edges(r)] if r.size else []
        return case
    ks = stats.ks_2samp(r, c, alternative="two-sided", method="auto")
    rf = r[np.isfinite(r)]
    cf = c[np.isfinite(c)]
    w1 = float(stats.wasserstein_distance(rf, cf)) if rf.size and cf.size else None
    w1n = None if w1 is None else w1 / max(float(np.std(rf)), 0.001)
    edges = quantile_edges(r)
    rc = bin_counts(edges, r)
    cc = bin_counts(edges, c)
    case.update({"ks_d": float(ks.statistic), "ks_p": float(ks.pvalue),
                 "ks_exact": bool(max(r.size, c.size) <= 10000),
                 "w1": w1, "w1_normed": w1n, "edges": [encode_value(e) for e in edges],
                 "psi": psi(rc, cc), "js": js(rc, cc), "hellinger": hellinger(rc, cc)})
    return case


def numeric_cases():
    cases = []

    def add(name, ref, cur):
        rd, rv = ref
        cd, cv = cur
        cases.append(numeric_case(name, rd, rv, cd, cv))

    ad_ref = [38.7, 41.5, 43.8, 44.5, 45.5, 46.0, 47.7, 58.0]
    ad_cur = [39.2, 39.3, 39.7, 41.4, 41.8, 42.9, 43.3, 45.8]
    add("small_equal_n_upstream4", sample(ad_ref), sample(ad_cur))
    add("small_unequal", sample(gen=gen(1, 30)), sample(gen=gen(2, 47, loc=0.6)))
    add("small_unequal_far", sample(gen=gen(3, 13)), sample(gen=gen(4, 7, loc=3.0)))
    add("ties_quantized", sample(gen=gen(5, 400, quantum=0.5)),
        sample(gen=gen(6, 300, loc=0.2, quantum=0.5)))
    add("ties_few_values", sample(gen=gen(7, 200, dist="uniform", scale=4, quantum=1.0)),
        sample(gen=gen(8, 150, dist="uniform", scale=4.4, quantum=1.0)))
    add("medium_equal_n", sample(gen=gen(9, 2000)), sample(gen=gen(10, 2000, loc=0.08)))
    add("medium_gcd", sample(gen=gen(11, 3000)), sample(gen=gen(12, 1200, loc=0.07, scale=1.05)))
    add("exact_10000_equal", sample(gen=gen(13, 10000)), sample(gen=gen(14, 10000, loc=0.03)))
    add("exact_10000_vs_9000", sample(gen=gen(15, 10000)), sample(gen=gen(16, 9000, loc=0.035)))
    add("exact_10000_vs_9973", sample(gen=gen(17, 10000)), sample(gen=gen(18, 9973, loc=0.02)))
    add("asymp_10001_vs_10000", sample(gen=gen(19, 10001)), sample(gen=gen(20, 10000, loc=0.03)))
    add("asymp_10000_vs_10001", sample(gen=gen(21, 10000)), sample(gen=gen(22, 10001, loc=0.025)))
    add("asymp_large", sample(gen=gen(23, 40000)), sample(gen=gen(24, 25000, loc=0.02)))
    add("asymp_large_far", sample(gen=gen(25, 30000)), sample(gen=gen(26, 20000, loc=0.2)))
    add("asymp_unequal_small_en", sample(gen=gen(27, 12000)), sample(gen=gen(28, 60, loc=0.4)))
    add("asymp_unequal_mid_en", sample(gen=gen(29, 15000)), sample(gen=gen(30, 500, loc=0.12)))
    add("asymp_unequal_tiny_en", sample(gen=gen(31, 20000)), sample(gen=gen(32, 3, loc=0.5)))
    add("identical", sample(gen=gen(33, 500)), sample(gen=gen(33, 500)))
    add("all_equal_both", sample([2.5] * 20), sample([2.5] * 30))
    add("all_equal_vs_spread", sample([1.0] * 50), sample(gen=gen(34, 40, loc=1.0)))
    add("single_row_both", sample([3.0]), sample([4.0]))
    add("single_row_ref", sample([0.0]), sample(gen=gen(35, 25)))
    add("single_row_cur", sample(gen=gen(36, 25)), sample([0.3]))
    add("nan_and_inf", sample(gen=gen(37, 300), extra=[math.nan, math.inf, -math.inf, math.nan]),
        sample(gen=gen(38, 200, loc=0.3), extra=[math.inf, math.inf, math.nan, -math.inf, 7.0]))
    add("inf_only_in_cur", sample(gen=gen(39, 100)),
        sample(gen=gen(40, 90), extra=[math.inf] * 10 + [-math.inf] * 5))
    add("all_nan_cur", sample(gen=gen(41, 50)), sample([math.nan] * 5))
    add("empty_cur", sample(gen=gen(42, 50)), sample([]))
    add("empty_ref", sample([]), sample(gen=gen(43, 50)))
    add("scale_change", sample(gen=gen(44, 800)), sample(gen=gen(45, 600, scale=1.6)))
    add("tiny_std_floor", sample([1e-5, 2e-5, 1e-5, 3e-5]), sample([1.0, 1.0001]))
    return cases


def kolmogorov_table():
    rows = []
    ns = [1, 2, 3, 5, 10, 37, 140, 141, 500, 1000, 5000, 20000, 100000, 100001, 400000, 2000000]
    for n in ns:
        ds = {0.5 / n, 0.75 / n, 1.0 / n, 1.3 / n, 0.3 / math.sqrt(n), 0.6 / math.sqrt(n),
              0.9 / math.sqrt(n), 1.2 / math.sqrt(n), 1.6 / math.sqrt(n), 2.2 / math.sqrt(n),
              3.5 / math.sqrt(n), 8.0 / math.sqrt(n), 0.03, 0.1, 0.3, 0.49, 0.5, 0.7,
              1 - 1.0 / n, 1 - 0.5 / n, 0.999}
        for d in sorted(ds):
            if not (0.0 < d < 1.0):
                continue
            rows.append({"n": n, "d": d, "sf": float(stats.kstwo.sf(d, n))})
    for n, d in [(7, 0.2), (7, 0.45), (50, 0.08), (50, 0.2), (140, 0.04), (140, 0.12),
                 (140, 0.2), (141, 0.2), (2000, 0.02), (2000, 0.033), (30000, 0.006),
                 (30000, 0.0088), (150000, 0.003)]:
        rows.append({"n": n, "d": d, "sf": float(stats.kstwo.sf(d, n))})
    return rows


def ks_pvalue_table():
    """p-value of the exact/asymptotic switch for a given D (scipy's own helpers)."""
    from math import gcd
    from scipy.stats import _stats_py
    rows = []
    pairs = [(10000, 9999), (10000, 5000), (7919, 10000), (3000, 1200), (100, 37), (5000, 4999),
             (2, 10000), (10000, 10000), (10001, 9000), (64, 48)]
    for n1, n2 in pairs:
        en = n1 * n2 / (n1 + n2)
        for z in [0.3, 0.7, 1.0, 1.36, 1.8, 2.5, 3.5, 5.0]:
            d = min(z / math.sqrt(en), 1.0)
            g = gcd(n1, n2)
            if max(n1, n2) <= 10000:
                ok, d_lattice, p = _stats_py._attempt_exact_2kssamp(n1, n2, g, d, "two-sided")
                assert ok
            else:
                d_lattice = d
                p = float(stats.kstwo.sf(d, np.round(en)))
            rows.append({"n1": n1, "n2": n2, "d": d, "d_out": float(d_lattice), "p": float(p)})
    return rows


def smirnov_table():
    from scipy import special
    rows = []
    for n in [2, 5, 20, 140, 1000, 1013, 5000, 60000]:
        for d in [0.5 / n + 1e-9, 1.5 / n, 0.1, 0.25, 0.5, 0.8, 1 - 0.5 / n]:
            if 0 < d < 1:
                rows.append({"n": n, "d": d, "sf": float(special.smirnov(n, d))})
    return rows


def categorical_case(name, ref_codes, cur_codes):
    ref = np.array(ref_codes, dtype=int)
    cur = np.array(cur_codes, dtype=int)
    r = ref[ref >= 0]
    c = cur[cur >= 0]
    case = {"name": name, "ref": [int(x) for x in ref], "cur": [int(x) for x in cur],
            "unseen": sorted(int(x) for x in set(c.tolist()) - set(r.tolist()))}
    if r.size == 0 or c.size == 0:
        case.update({"chi2": None, "chi2_p": None, "dof": None, "psi": None, "js": None,
                     "hellinger": None})
        return case
    cats = np.union1d(r, c)
    rc = np.array([np.sum(r == k) for k in cats], dtype=float)
    cc = np.array([np.sum(c == k) for k in cats], dtype=float)
    res = stats.chi2_contingency(np.vstack([rc, cc]), correction=True)
    case.update({"chi2": float(res.statistic), "chi2_p": float(res.pvalue), "dof": int(res.dof),
                 "psi": psi(rc, cc), "js": js(rc, cc), "hellinger": hellinger(rc, cc)})
    return case


def repeat_codes(counts, offset=1):
    out = []
    for i, k in enumerate(counts):
        out += [i + offset] * k
    return out


def categorical_cases():
    cases = []
    # Upstream #1/#2 (Evidently): categories 1..6.
    cases.append(categorical_case("evidently_1", repeat_codes([16, 18, 16, 14, 12, 12]),
                                  repeat_codes([16, 16, 16, 16, 16, 8])))
    cases.append(categorical_case("evidently_2", repeat_codes([32, 36, 32, 28, 24, 24]),
                                  repeat_codes([16, 16, 16, 16, 16, 8])))
    # Upstream #3: "a","b",NaN x10 on both sides (NaN -> missing code -1).
    cases.append(categorical_case("evidently_3_nan", [0, 1, -1] * 10, [0, 1, -1] * 10))
    # Upstream #18 (frouros): a=0, b=1, c=2.
    cases.append(categorical_case("frouros_18", [0, 0, 1, 0, 0, 1], [1, 0, 2, 2, 2, 2]))
    # Upstream #11 (Evidently PSI on values 3,2,2 vs 1,2,3).
    cases.append(categorical_case("evidently_11_psi", [3, 2, 2], [1, 2, 3]))
    # Upstream #25 (whylogs) as categories.
    cases.append(categorical_case("whylogs_25_disjoint", [0], [5]))
    cases.append(categorical_case("whylogs_25_same5", [5], [5]))
    cases.append(categorical_case("whylogs_25_same0", [0], [0]))
    cases.append(categorical_case("dof1_yates", [0] * 30 + [1] * 10, [0] * 18 + [1] * 14))
    cases.append(categorical_case("dof1_yates_small_diff", [0] * 10 + [1] * 10, [0] * 10 + [1] * 11))
    cases.append(categorical_case("dof1_unseen", [0] * 40, [0] * 35 + [1] * 3))
    cases.append(categorical_case("larger_k", repeat_codes([50, 40, 30, 20, 10, 5, 3, 2], 0),
                                  repeat_codes([45, 42, 35, 15, 12, 2, 6, 0], 0) + [9, 9, 11]))
    cases.append(categorical_case("missing_codes", [0, 1, 2, -1, -1] * 8, [0, 0, 2, 2, -1, 1] * 5))
    cases.append(categorical_case("single_category", [4] * 10, [4] * 7))
    cases.append(categorical_case("all_missing_cur", [0, 1, 1], [-1, -1]))
    cases.append(categorical_case("empty_cur", [0, 1, 1], []))
    cases.append(categorical_case("empty_ref", [], [0, 1]))
    return cases


def pca_table(seed, rows, shift=0.0, corr=0.8, cat_weights=(0.4, 0.3, 0.2, 0.1), cat_codes=(0, 1, 2, 3)):
    """Columns: x0 ~ irwin, x1 = corr*x0 + noise, x2 = noise (+shift), one categorical."""
    u = generate(gen(seed, rows * 3))
    x0 = np.array(u[:rows])
    x1 = corr * x0 + math.sqrt(1 - corr * corr) * np.array(u[rows:2 * rows])
    x2 = np.array(u[2 * rows:]) + shift
    cu = lcg_uniforms(seed + 1000, rows)
    cum = np.cumsum(cat_weights)
    cat = np.array([cat_codes[int(np.searchsorted(cum, v, side="right"))] if v < cum[-1] else cat_codes[-1]
                    for v in cu])
    return [np.round(x0, 6), np.round(x1, 6), np.round(x2, 6)], cat


def pca_encode(num_cols, cat_col, fills, cat_fill, freq):
    cols = []
    for c, f in zip(num_cols, fills):
        c = np.where(np.isnan(c), f, c)
        cols.append(c)
    cat = np.where(cat_col < 0, cat_fill, cat_col)
    cols.append(np.array([freq.get(int(k), 0.0) for k in cat]))
    return np.column_stack(cols)


def pca_case():
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler
    ref_num, ref_cat = pca_table(101, 300)
    ref_num[2][[5, 17, 60]] = np.nan
    ref_cat[[3, 4, 90]] = -1
    # Imputation and frequency encoding, fitted on the reference (NannyML's preprocessing).
    fills = [float(np.nanmean(c)) for c in ref_num]
    vals, counts = np.unique(ref_cat[ref_cat >= 0], return_counts=True)
    cat_fill = int(vals[np.argmax(counts)])
    imputed = np.where(ref_cat < 0, cat_fill, ref_cat)
    freq = {int(k): float(np.sum(imputed == k)) / imputed.size for k in np.unique(imputed)}
    x_ref = pca_encode(ref_num, ref_cat, fills, cat_fill, freq)
    scaler = StandardScaler().fit(x_ref)
    pca = PCA(n_components=0.65, svd_solver="full").fit(scaler.transform(x_ref))

    def errors(num, cat):
        xs = scaler.transform(pca_encode(num, cat, fills, cat_fill, freq))
        return np.linalg.norm(xs - pca.inverse_transform(pca.transform(xs)), axis=1)

    def table_json(num, cat):
        return {"numeric": [[encode_value(float(v)) for v in c] for c in num], "categorical": [int(v) for v in cat]}

    windows = []
    specs = [("same", 202, 0.0, 0.8, (0.4, 0.3, 0.2, 0.1), (0, 1, 2, 3)),
             ("shifted_x2", 203, 1.5, 0.8, (0.4, 0.3, 0.2, 0.1), (0, 1, 2, 3)),
             ("broken_correlation", 204, 0.0, -0.5, (0.4, 0.3, 0.2, 0.1), (0, 1, 2, 3)),
             ("category_mix_and_unseen", 205, 0.0, 0.8, (0.1, 0.1, 0.2, 0.6), (0, 1, 2, 7))]
    for name, seed, shift, corr, weights, codes in specs:
        num, cat = pca_table(seed, 80, shift, corr, weights, codes)
        if name == "same":
            num[0][[1, 2]] = np.nan
            cat[[0]] = -1
        e = errors(num, cat)
        windows.append({"name": name, "table": table_json(num, cat), "mean_error": float(e.mean())})
    ref_errors = errors(ref_num, ref_cat)
    chunk_means = [float(ref_errors[i:i + 100].mean()) for i in range(0, 300, 100)]
    band_mean = float(np.mean(chunk_means))
    band_std = float(np.std(chunk_means))
    return {"reference": table_json(ref_num, ref_cat), "components": int(pca.n_components_),
            "reference_row_errors_head": [float(v) for v in ref_errors[:10]],
            "reference_chunk_means": chunk_means,
            "band": {"mean": band_mean, "std": band_std, "lower": max(band_mean - 3 * band_std, 0.0),
                     "upper": band_mean + 3 * band_std},
            "windows": windows}


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    out_path = os.path.join(root, "tests", "data", "drift", "reference.json")
    doc = {
        "generator": {"lcg_a": str(LCG_A), "lcg_c": str(LCG_C),
                      "note": "state = state*a + c mod 2^64; u = (state >> 11) * 2^-53; "
                              "irwin: ((u1+u2)+u3)+u4 - 2; value = loc + scale*base; "
                              "quantum > 0: floor(value/quantum)*quantum"},
        "versions": {"numpy": np.__version__, "scipy": __import__("scipy").__version__},
        "kolmogorov": kolmogorov_table(),
        "smirnov": smirnov_table(),
        "ks_pvalue": ks_pvalue_table(),
        "numeric": numeric_cases(),
        "categorical": categorical_cases(),
        "pca": pca_case(),
    }
    with open(out_path, "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"), allow_nan=False)
    print(f"wrote {out_path} ({os.path.getsize(out_path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
