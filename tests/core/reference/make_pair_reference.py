#!/usr/bin/python3
"""Reference values for tst_drift_decision_rule's two-window pool (NumericPairScorer,
CategoricalPairScorer): the statistics of the previous window's values pooled with the
current window's, against the reference, computed here from the concatenated sample.

Numeric: KS D and p (scipy.stats.ks_2samp, method 'auto' = exact at these sizes), the pooled
chi-square of the sample's counts in the reference's 10 %..90 % quantile bins (numpy 'linear'
quantiles, duplicates merged, sparse bins pooled as in make_pooled_chi2_reference.py), and the
decision p-value min(1, 2 min(KS p, binned p)). Categorical: chi2_contingency on the pooled
table and the Jensen-Shannon distance (base 2). The samples are integer formulas that the C++
side evaluates with the same IEEE operations. Run: /usr/bin/python3 THIS_FILE
"""
import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp



def pooled(ref, cur, min_expected=5.0):
    """The pooling rule of make_pooled_chi2_reference.py: the pooled reference and window counts."""
    ref = np.asarray(ref, float)
    cur = np.asarray(cur, float)
    expected = cur.sum() * (ref + cur) / (ref.sum() + cur.sum())
    pool = []
    acc = 0.0
    for i in sorted(range(len(ref)), key=lambda i: (expected[i], i)):
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
    return r, c


def numeric_case(prev_shift, cur_shift):
    ref = np.array([((i * 37) % 1200 + 0.5) / 1200.0 for i in range(1200)])
    prev = np.array([((j * 13) % 100 + 0.5) / 100.0 + prev_shift for j in range(100)])
    cur = np.array([((j * 17) % 100 + 0.25) / 100.0 + cur_shift for j in range(100)])
    pool = np.concatenate([prev, cur])
    ks = ks_2samp(ref, pool)
    edges = np.unique(np.quantile(ref, np.arange(1, 10) / 10.0))
    ref_counts = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1)
    pool_counts = np.bincount(np.searchsorted(edges, pool, side="right"), minlength=len(edges) + 1)
    r, c = pooled(ref_counts, pool_counts)
    binned = chi2_contingency(np.array([r, c]), correction=True)[1]
    return ks.statistic, ks.pvalue, binned, min(1.0, 2.0 * min(ks.pvalue, binned))


def categorical_case():
    ref = np.array([400.0, 300.0, 200.0, 100.0])
    prev = np.array([25.0, 30.0, 20.0, 25.0])
    cur = np.array([26.0, 29.0, 21.0, 24.0])
    pool = prev + cur
    r, c = pooled(ref, pool)
    p = chi2_contingency(np.array([r, c]), correction=True)[1]
    return jensenshannon(ref / ref.sum(), pool / pool.sum(), base=2), p


if __name__ == "__main__":
    for name, shifts in (("shifted 0.15", (0.15, 0.15)), ("spike in previous", (0.3, 0.0))):
        d, p, binned, decision = numeric_case(*shifts)
        print(f"numeric {name}: D {d!r} ks_p {p!r} binned_p {binned!r} decision_p {decision!r}")
    js, p = categorical_case()
    print(f"categorical: js {js!r} p {p!r}")
