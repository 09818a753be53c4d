"""Independent drift statistics for test_drift_report.py, from the definitions in
docs/DRIFT.md: SciPy's ks_2samp (method 'auto'), wasserstein_distance and
chi2_contingency (Yates for dof 1), NumPy quantile bins for PSI / JS / Hellinger."""
import math

import numpy as np
from scipy import stats
from scipy.spatial import distance

PSI_FLOOR = 1e-4


def _binned(ref_counts, cur_counts):
    p = np.asarray(ref_counts, float)
    q = np.asarray(cur_counts, float)
    if p.sum() == 0 or q.sum() == 0:
        return {"psi": None, "js": None, "hellinger": None}
    p = p / p.sum()
    q = q / q.sum()
    pc = np.clip(p, PSI_FLOOR, None)
    qc = np.clip(q, PSI_FLOOR, None)
    psi = float(np.sum((qc - pc) * np.log(qc / pc)))
    js = float(distance.jensenshannon(p, q, base=2))
    # sqrt(1 - sum sqrt(pq)) written as sqrt(sum (sqrt p - sqrt q)^2 / 2) (equal when both
    # sum to 1), which avoids the cancellation of 1 - sum near 0.
    hellinger = float(math.sqrt(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2) / 2.0))
    return {"psi": psi, "js": js, "hellinger": hellinger}


def numeric(ref, cur):
    """ref, cur: lists of float or None (None and NaN are missing)."""
    ref = np.array([np.nan if v is None else v for v in ref], float)
    cur = np.array([np.nan if v is None else v for v in cur], float)
    out = {"kind": "numeric", "chi2": None, "chi2_p": None,
           "missing_share": float(np.isnan(cur).mean()) if len(cur) else None}
    r = ref[~np.isnan(ref)]
    c = cur[~np.isnan(cur)]
    if len(r) == 0 or len(c) == 0:
        out.update(ks_d=None, ks_p=None, wasserstein=None, psi=None, js=None, hellinger=None)
        return out
    ks = stats.ks_2samp(r, c, method="auto")
    out["ks_d"] = float(ks.statistic)
    out["ks_p"] = float(ks.pvalue)
    rf = r[np.isfinite(r)]
    cf = c[np.isfinite(c)]
    out["wasserstein"] = float(stats.wasserstein_distance(rf, cf)) if len(rf) and len(cf) else None
    edges = np.unique(np.quantile(rf, np.arange(1, 10) / 10.0)) if len(rf) else np.array([])
    nb = len(edges) + 1
    rc = np.bincount(np.searchsorted(edges, r, side="right"), minlength=nb)
    cc = np.bincount(np.searchsorted(edges, c, side="right"), minlength=nb)
    out.update(_binned(rc, cc))
    return out


def categorical(ref, cur):
    """ref, cur: lists of str or None (None is missing)."""
    out = {"kind": "categorical", "ks_d": None, "ks_p": None, "wasserstein": None,
           "missing_share": (sum(v is None for v in cur) / len(cur)) if cur else None}
    r = [v for v in ref if v is not None]
    c = [v for v in cur if v is not None]
    if not r or not c:
        out.update(chi2=None, chi2_p=None, psi=None, js=None, hellinger=None)
        return out
    cats = sorted(set(r) | set(c))
    rc = np.array([r.count(k) for k in cats], float)
    cc = np.array([c.count(k) for k in cats], float)
    if len(cats) == 1:
        out.update(chi2=0.0, chi2_p=1.0)
    else:
        chi2, p, _, _ = stats.chi2_contingency(np.vstack([rc, cc]), correction=True)
        out.update(chi2=float(chi2), chi2_p=float(p))
    out.update(_binned(rc, cc))
    return out
