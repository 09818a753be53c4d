"""Reference metric definitions for Vigil's tests, written with numpy and sklearn
only (no code shared with the C++ engine). Used by make_stats_reference.py and
make_analysis_reference.py."""
import math

import numpy as np
from sklearn.metrics import (accuracy_score, brier_score_loss, f1_score, log_loss,
                             mean_absolute_error, mean_squared_error, precision_score,
                             r2_score, recall_score, roc_auc_score)


def enc(v):
    """JSON encoding shared with the C++ test: null = undefined, strings for non-finite."""
    if v is None:
        return None
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def enc_list(values):
    return [enc(v) for v in values]


def quantiles(values, qs):
    v = np.asarray(values, dtype=np.float64)
    v = v[~np.isnan(v)]
    if v.size == 0:
        return [None] * len(qs)
    with np.errstate(all="ignore"):
        return [float(np.nanquantile(v, q, method="linear")) for q in qs]


def _confusion(y, yhat):
    tp = int(np.sum((yhat == 1) & (y == 1)))
    fp = int(np.sum((yhat == 1) & (y == 0)))
    fn = int(np.sum((yhat == 0) & (y == 1)))
    tn = int(np.sum((yhat == 0) & (y == 0)))
    return tp, fp, fn, tn


def _threshold_metrics(y, yhat):
    if y.size == 0:
        return dict(accuracy=None, precision=None, recall=None, f1=None)
    tp, fp, fn, _ = _confusion(y, yhat)
    return dict(
        accuracy=accuracy_score(y, yhat),
        precision=None if tp + fp == 0 else precision_score(y, yhat, zero_division=0),
        recall=None if tp + fn == 0 else recall_score(y, yhat, zero_division=0),
        f1=None if tp + fp + fn == 0 else f1_score(y, yhat, zero_division=0),
    )


def score_metrics(score, label, threshold):
    s = np.asarray(score, dtype=np.float64)
    y = np.asarray(label, dtype=np.float64)
    keep = np.isfinite(s) & ((y == 0) | (y == 1))
    s, y = s[keep], y[keep].astype(int)
    out = _threshold_metrics(y, (s >= threshold).astype(int))
    out.update(rocAuc=None, logLoss=None, brier=None)
    if y.size:
        out["logLoss"] = log_loss(y, s, labels=[0, 1])
        if np.all((s >= 0) & (s <= 1)):
            out["brier"] = brier_score_loss(y, s, pos_label=1)
        else:  # sklearn refuses scores outside [0,1]; Vigil keeps the formula
            with np.errstate(all="ignore"):
                out["brier"] = float(np.mean((s - y) ** 2))
        if len(set(y.tolist())) == 2:
            out["rocAuc"] = roc_auc_score(y, s)
    out["used"] = int(y.size)
    out["excluded"] = int((~keep).sum())
    return out


def class_label_metrics(pred, label):
    p = np.asarray(pred, dtype=np.float64)
    y = np.asarray(label, dtype=np.float64)
    keep = ((p == 0) | (p == 1)) & ((y == 0) | (y == 1))
    p, y = p[keep].astype(int), y[keep].astype(int)
    out = _threshold_metrics(y, p)
    out.update(rocAuc=None, logLoss=None, brier=None, used=int(y.size), excluded=int((~keep).sum()))
    return out


def regression_metrics(pred, label):
    p = np.asarray(pred, dtype=np.float64)
    y = np.asarray(label, dtype=np.float64)
    keep = np.isfinite(p) & np.isfinite(y)
    p, y = p[keep], y[keep]
    out = dict(mae=None, rmse=None, r2=None, used=int(y.size), excluded=int((~keep).sum()))
    if y.size == 0:
        return out
    out["mae"] = mean_absolute_error(y, p)
    out["rmse"] = math.sqrt(mean_squared_error(y, p))
    # R² is undefined when the labels' total sum of squares is 0 (constant labels,
    # or differences that underflow); sklearn would report 1.0 or 0.0 there.
    if y.size >= 2 and np.sum((y - np.average(y)) ** 2) != 0:
        out["r2"] = r2_score(y, p)
    return out


def encode_metrics(m):
    return {k: (v if k in ("used", "excluded") else enc(v)) for k, v in m.items()}
