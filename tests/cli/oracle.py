"""Independent reference implementation of Vigil's per-window numbers, built on
numpy and scikit-learn, used by the CLI tests as the oracle.

Semantics (docs/METRICS.md): undefined values are None; NaN/Inf rows are excluded
from metrics and counted; quantiles follow np.nanpercentile (linear)."""
import math

import numpy as np
from sklearn import metrics as skm


def window_start(ts_ms, window_ms):
    return (ts_ms // window_ms) * window_ms  # Python floors negatives too


def quantiles(latencies):
    vals = np.array([v for v in latencies if v is not None], dtype=float)
    vals = vals[~np.isnan(vals)]
    if vals.size == 0:
        return {k: None for k in ("p50", "p90", "p95", "p99")}
    return {f"p{q}": float(np.percentile(vals, q)) for q in (50, 90, 95, 99)}


def classification(preds, labels, threshold):
    pairs = [(p, l) for p, l in zip(preds, labels)
             if p is not None and l is not None and math.isfinite(p) and math.isfinite(l) and l in (0.0, 1.0)]
    out = dict.fromkeys(("accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "brier"))
    if not pairs:
        return out
    p = np.array([a for a, _ in pairs])
    y = np.array([b for _, b in pairs]).astype(int)
    yhat = (p >= threshold).astype(int)
    tp = int(((yhat == 1) & (y == 1)).sum())
    fp = int(((yhat == 1) & (y == 0)).sum())
    fn = int(((yhat == 0) & (y == 1)).sum())
    out["accuracy"] = float(skm.accuracy_score(y, yhat))
    if tp + fp > 0:
        out["precision"] = float(skm.precision_score(y, yhat, zero_division=0))
    if tp + fn > 0:
        out["recall"] = float(skm.recall_score(y, yhat, zero_division=0))
    if tp + fp + fn > 0:
        out["f1"] = float(skm.f1_score(y, yhat, zero_division=0))
    if len(set(y.tolist())) == 2:
        out["roc_auc"] = float(skm.roc_auc_score(y, p))
    eps = np.finfo(np.float64).eps
    pc = np.clip(p, eps, 1 - eps)
    out["log_loss"] = float(-np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc)))
    out["brier"] = float(skm.brier_score_loss(y, p))
    return out


def regression(preds, labels):
    pairs = [(p, l) for p, l in zip(preds, labels)
             if p is not None and l is not None and math.isfinite(p) and math.isfinite(l)]
    out = dict.fromkeys(("mae", "rmse", "r2"))
    if not pairs:
        return out
    p = np.array([a for a, _ in pairs])
    y = np.array([b for _, b in pairs])
    out["mae"] = float(skm.mean_absolute_error(y, p))
    out["rmse"] = float(math.sqrt(skm.mean_squared_error(y, p)))
    if len(y) >= 2 and np.var(y) > 0:
        out["r2"] = float(skm.r2_score(y, p))
    return out


def window_stats(rows, window_ms, threshold, kind):
    """rows: list of dicts with ts, latency, status_ok (True/False/None), prediction, label, kpi{}."""
    lat = [r["latency"] for r in rows]
    known = [r["status_ok"] for r in rows if r["status_ok"] is not None]
    preds = [r["prediction"] for r in rows]
    labels = [r["label"] for r in rows]
    perf = dict.fromkeys(("accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "brier", "mae", "rmse", "r2"))
    if kind == "score":
        perf.update(classification(preds, labels, threshold))
    else:
        perf.update(regression(preds, labels))
    kpi = {}
    for name in sorted({k for r in rows for k in r["kpi"]}):
        vals = [r["kpi"].get(name) for r in rows if r["kpi"].get(name) is not None]
        finite = [v for v in vals if math.isfinite(v)]
        kpi[name] = {"sum": float(sum(finite)) if finite else 0.0,
                     "mean": float(np.mean(finite)) if finite else None, "count": len(vals)}
    return {
        "rows": len(rows),
        "labeled": sum(1 for l in labels if l is not None),
        "performance": perf,
        "operations": {
            "throughput_per_s": len(rows) / (window_ms / 1000.0),
            "error_rate": (sum(1 for k in known if not k) / len(known)) if known else None,
            "latency_ms": quantiles(lat),
        },
        "kpi": kpi,
        "non_finite": {
            "latency_ms": sum(1 for v in lat if v is not None and not math.isfinite(v)),
            "prediction": sum(1 for v in preds if v is not None and not math.isfinite(v)),
            "label": sum(1 for v in labels if v is not None and not math.isfinite(v)),
        },
    }


def windows(rows, window_ms, threshold, kind):
    groups = {}
    for r in rows:
        groups.setdefault(window_start(r["ts"], window_ms), []).append(r)
    out = []
    for start in sorted(groups):
        w = window_stats(groups[start], window_ms, threshold, kind)
        w["start_ms"] = start
        w["end_ms"] = start + window_ms
        out.append(w)
    return out
