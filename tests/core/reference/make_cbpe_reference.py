#!/usr/bin/env python3
"""Reference values for tst_drift_cbpe: CBPE (NannyML's confidence-based performance
estimation) computed independently with sklearn's IsotonicRegression and numpy.

Writes tests/data/drift/cbpe.json: the samples themselves (floats written with repr, so
they round-trip exactly) and the expected calibrator, ECE and per-window estimates.
The one deviation from NannyML, shared with vigil and documented in docs/DRIFT.md: the
10 calibration folds are the fixed partition "row i is in fold i mod 10" instead of
StratifiedShuffleSplit(random_state=42).
"""
import json
import os
import sys

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import auc, roc_auc_score


def ece(proba, y):
    proba, y = np.asarray(proba, float), np.asarray(y, float)
    n = len(proba)
    bins = 10
    if n <= 2 * bins:
        bins = n // 2
        if bins < 2:
            return None
    width = n // bins
    edges = np.asarray(range(0, n + 1, width))
    edges[-1] = n
    order = np.argsort(proba, kind="stable")
    proba, y = proba[order], y[order]
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        total += (hi - lo) / n * abs(np.mean(proba[lo:hi]) - np.mean(y[lo:hi]))
    return total


def needs_calibration(scores, y):
    scores, y = np.asarray(scores, float), np.asarray(y, float)
    n = len(scores)
    if n < 10 or len(np.unique(y)) == 1:
        return False
    if roc_auc_score(y, scores) > 0.999:
        return False
    idx = np.arange(n)
    ys, before, after = [], [], []
    for fold in range(10):
        test = idx % 10 == fold
        iso = IsotonicRegression(out_of_bounds="clip").fit(scores[~test], y[~test])
        ys.append(y[test])
        before.append(scores[test])
        after.append(iso.predict(scores[test]))
    ys, before, after = map(np.concatenate, (ys, before, after))
    return ece(before, ys) > ece(after, ys)


def estimate(scores, p, threshold):
    scores, p = np.asarray(scores, float), np.asarray(p, float)
    yhat = scores >= threshold
    tp, fp = np.sum(np.where(yhat, p, 0)), np.sum(np.where(yhat, 1 - p, 0))
    fn, tn = np.sum(np.where(~yhat, p, 0)), np.sum(np.where(~yhat, 1 - p, 0))
    acc = (tp + tn) / len(p)
    f1 = tp / (tp + 0.5 * (fp + fn)) if tp + 0.5 * (fp + fn) > 0 else None
    order = np.argsort(scores, kind="stable")[::-1]
    pp = p[order]
    tps = np.cumsum(pp)
    fps = 1 + np.arange(len(pp)) - tps
    tps, fps = np.round(np.r_[0, tps], 5), np.round(np.r_[0, fps], 5)
    roc = auc(fps / fps[-1], tps / tps[-1]) if tps[-1] > 0 and fps[-1] > 0 else None
    return {"accuracy": acc, "f1": f1, "roc_auc": roc}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "..", "data", "drift", "cbpe.json")
    rng = np.random.default_rng(20261126)

    def sample(n, shift):
        # An over-confident model: true probability sigmoid(z), score sigmoid(2.5 z).
        z = rng.normal(shift, 1.3, n)
        truth = 1 / (1 + np.exp(-z))
        score = np.round(1 / (1 + np.exp(-2.5 * z)), 4)  # rounding makes ties, as real logs have
        label = (rng.random(n) < truth).astype(float)
        return score, label

    ref_scores, ref_labels = sample(800, 0.0)
    windows = [sample(n, s)[0] for n, s in [(300, 0.0), (250, 0.8), (200, -1.0), (1, 0.0), (5, 2.0)]]
    threshold = 0.5
    calibrate = needs_calibration(ref_scores, ref_labels)
    iso = IsotonicRegression(out_of_bounds="clip").fit(ref_scores, ref_labels)
    probes = [-0.5, 0.0, 0.0001, 0.1234, 0.33333, 0.5, 0.77777, 0.9999, 1.0, 2.0]
    cases = []
    for w in windows:
        p = iso.predict(w) if calibrate else w
        cases.append({"scores": [float(v) for v in w], "expected": estimate(w, p, threshold)})

    # A separable reference (AUC 1) and a single-class one are never calibrated.
    sep_scores = np.linspace(0.01, 0.99, 40)
    sep_labels = (sep_scores > 0.5).astype(float)
    doc = {
        "threshold": threshold,
        "reference": {"scores": [float(v) for v in ref_scores], "labels": [float(v) for v in ref_labels]},
        "needs_calibration": bool(calibrate),
        "ece_before": ece(ref_scores, ref_labels),
        "ece_after": ece(iso.predict(ref_scores), ref_labels),
        "probes": probes,
        "calibrated_probes": [float(v) for v in iso.predict(np.asarray(probes))],
        "windows": cases,
        "separable": {"scores": [float(v) for v in sep_scores], "labels": [float(v) for v in sep_labels],
                      "needs_calibration": needs_calibration(sep_scores, sep_labels)},
        "single_class": {"needs_calibration": needs_calibration(ref_scores[:50], np.ones(50))},
    }
    with open(out, "w") as f:
        json.dump(doc, f)
        f.write("\n")


if __name__ == "__main__":
    main()
