#!/usr/bin/python3
"""Reference values for tst_drift_decision's pooled chi-square rows.

Pools the categories whose expected window count (window total * column total / grand
total) is below 5, smallest expected first (ties by index), and keeps adding the next
smallest while the pooled column is still below 5; then SciPy's chi2_contingency
(correction=True) on the pooled 2 x k table. Run: /usr/bin/python3 THIS_FILE
"""
import numpy as np
from scipy.stats import chi2_contingency

CASES = {
    "no sparse category": ([400, 300, 200, 100], [40, 25, 20, 15]),
    "zipf 12 categories": ([600, 300, 200, 150, 120, 100, 86, 75, 67, 60, 55, 50], [30, 14, 11, 8, 6, 5, 4, 5, 3, 4, 2, 3]),
    "rare pooled plus next": ([900, 60, 30, 9, 1], [88, 7, 4, 1, 0]),
    "two columns left (Yates)": ([900, 40, 30, 30], [85, 5, 6, 4]),
    "unseen category in window": ([500, 300, 200, 0], [50, 30, 15, 5]),
}


def pooled(ref, cur, min_expected=5.0):
    ref = np.asarray(ref, float)
    cur = np.asarray(cur, float)
    total = ref.sum() + cur.sum()
    expected = cur.sum() * (ref + cur) / total
    order = sorted(range(len(ref)), key=lambda i: (expected[i], i))
    pool = []
    acc = 0.0
    for i in order:
        if expected[i] < min_expected or (pool and acc < min_expected):
            pool.append(i)
            acc += expected[i]
        else:
            break
    keep = [i for i in range(len(ref)) if i not in pool]
    r = [ref[i] for i in keep]
    c = [cur[i] for i in keep]
    if pool:
        r.append(ref[pool].sum())
        c.append(cur[pool].sum())
    return sorted(pool), r, c


for name, (ref, cur) in CASES.items():
    pool, r, c = pooled(ref, cur)
    if len(r) < 2:
        stat, p, dof = 0.0, 1.0, 0
    else:
        stat, p, dof, _ = chi2_contingency(np.array([r, c]), correction=True)
    plain = chi2_contingency(np.array([ref, cur]), correction=True)[1] if min(np.add(ref, cur)) > 0 else float("nan")
    print(f'QTest::newRow("{name}") << std::vector<double>{{{", ".join(map(str, ref))}}} '
          f'<< std::vector<double>{{{", ".join(map(str, cur))}}} << std::vector<int>{{{", ".join(map(str, pool))}}} '
          f'<< {stat!r} << {p!r} << {dof}; // unpooled p {plain!r}')
