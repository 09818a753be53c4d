#!/usr/bin/env python3
"""Reference values for tst_drift_ks_cache: two-sample KS p-values of many windows against
one reference, from scipy.stats.ks_2samp(method='auto') (SciPy 1.10).

Vigil memoises the p-value per (n1, n2, lattice numerator h) (per (n1, n2, D) on the
asymptotic path). The cases cover the exact rectangular path, the exact square path (whose
windows repeat h across different samples; the test checks that they do) and the
asymptotic path; the test computes every case repeatedly from several threads. Samples come from make_drift_reference.py's
generator, which the C++ test re-implements bit-identically. Run from the repository root:

    /usr/bin/python3 tests/core/reference/make_ks_cache_reference.py

Writes tests/data/drift/ks_cache.json.
"""
import json
import math
import os
import sys

from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_drift_reference import gen, generate  # noqa: E402

# (name, reference size, window size, windows): the reference shifted by nothing, the
# windows by 0 to 0.15, as a feature that drifts slowly.
GROUPS = [
    ("rectangle", 2000, 100, 16),
    ("square", 300, 300, 12),
    ("asymptotic", 12000, 400, 12),
]


def main():
    cases = []
    for g, (name, n1, n2, windows) in enumerate(GROUPS):
        ref = gen(1000 + g, n1)
        keys = {}
        for w in range(windows):
            cur = gen(2000 + 100 * g + w, n2, loc=0.01 * w)
            res = stats.ks_2samp(generate(ref), generate(cur), method="auto")
            lcm = n1 * n2 // math.gcd(n1, n2)
            h = round(float(res.statistic) * lcm)
            keys[h] = keys.get(h, 0) + 1
            cases.append({"group": name, "ref": ref, "cur": cur, "d": float(res.statistic),
                          "p": float(res.pvalue), "h": h})
        print(name, "distinct h:", len(keys), "of", windows, file=sys.stderr)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "drift",
                       "ks_cache.json")
    with open(out, "w") as f:
        json.dump({"generator": "make_drift_reference.generate", "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
