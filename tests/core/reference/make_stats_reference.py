#!/usr/bin/env python3
"""Writes tests/data/stats/reference.json: inputs and numpy/sklearn results for
tst_stats. Deterministic (fixed seed); rerun after changing the cases:
    python3 tests/core/reference/make_stats_reference.py"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_metrics import (class_label_metrics, enc_list, encode_metrics, quantiles,  # noqa: E402
                            regression_metrics, score_metrics)

NAN, INF = float("nan"), float("inf")
QS = [0.0, 0.25, 0.333, 0.5, 0.9, 0.95, 0.99, 1.0]
rng = np.random.default_rng(20261126)

quantile_cases = {
    "empty": [],
    "single": [3.5],
    "two": [1.0, 2.0],
    "all_equal": [7.25] * 9,
    "small_unsorted": [5.0, 1.0, 4.0, 2.0, 3.0],
    "normal_1000": rng.normal(100, 15, 1000).tolist(),
    "lognormal_10001": rng.lognormal(3, 1, 10001).tolist(),
    "integers_ties": rng.integers(0, 5, 500).astype(float).tolist(),
    "with_nan": [NAN, 3.0, 1.0, NAN, 2.0, 10.0],
    "all_nan": [NAN, NAN],
    "with_pos_inf": [1.0, 2.0, INF, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
    "with_neg_inf": [-INF, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
    "inf_both": [-INF, 1.0, INF],
    "only_inf": [INF, INF, INF],
    "single_inf": [INF],
    "huge": [1e300, -1e300, 5e299, 1.7e308, -1.7e308, 3.0],
    "tiny": [1e-300, 5e-310, 2e-308, 0.0, -1e-300],
}

def binary(n, p=0.5):
    return (rng.random(n) < p).astype(float).tolist()

scores_1000 = rng.random(1000)
labels_1000 = (rng.random(1000) < scores_1000).astype(float)
classification_cases = [
    ("empty", [], [], 0.5),
    ("single_pos", [0.9], [1.0], 0.5),
    ("single_neg_predicted_pos", [0.9], [0.0], 0.5),
    ("random_1000", scores_1000.tolist(), labels_1000.tolist(), 0.5),
    ("random_1000_t03", scores_1000.tolist(), labels_1000.tolist(), 0.3),
    ("all_one_class_pos", rng.random(50).tolist(), [1.0] * 50, 0.5),
    ("all_one_class_neg", rng.random(50).tolist(), [0.0] * 50, 0.5),
    ("no_predicted_pos", [0.1, 0.2, 0.3, 0.4], [0.0, 1.0, 0.0, 1.0], 0.5),
    ("all_neg_predicted_neg", [0.1, 0.2, 0.3], [0.0, 0.0, 0.0], 0.5),
    ("ties", (rng.integers(0, 4, 300) / 3.0).tolist(), binary(300), 0.5),
    ("all_tied", [0.5] * 20, binary(20), 0.5),
    ("at_threshold", [0.5, 0.5, 0.49999999999999994, 0.5000000000000001, 0.7],
     [1.0, 0.0, 1.0, 0.0, 1.0], 0.5),
    ("non_finite", [0.1, NAN, 0.8, INF, -INF, 0.6, 0.3, 0.9],
     [0.0, 1.0, 1.0, 0.0, 1.0, NAN, 1.0, INF], 0.5),
    ("bad_labels", [0.1, 0.7, 0.8, 0.2, 0.6], [0.0, 2.0, 1.0, -1.0, 0.5], 0.5),
    ("extreme_scores", [0.0, 1.0, 1.0, 0.0, 1e-300, 1.0 - 1e-17], [1.0, 0.0, 1.0, 0.0, 1.0, 0.0], 0.5),
    ("out_of_range_scores", [-2.0, 3.0, 0.5, 1e10], [0.0, 1.0, 1.0, 0.0], 0.5),
]

cl_pred = binary(400, 0.4)
cl_label = binary(400, 0.5)
class_label_cases = [
    ("empty", [], []),
    ("random_400", cl_pred, cl_label),
    ("no_positive_predictions", [0.0] * 5, [0.0, 1.0, 0.0, 1.0, 1.0]),
    ("all_neg", [0.0] * 4, [0.0] * 4),
    ("bad_values", [0.0, 1.0, 2.0, NAN, 1.0, 0.5], [0.0, 1.0, 1.0, 1.0, INF, 0.0]),
]

reg_label = rng.normal(50, 10, 2000)
reg_pred = reg_label + rng.normal(0, 3, 2000)
regression_cases = [
    ("empty", [], []),
    ("single", [1.0], [2.5]),
    ("two", [1.0, 2.0], [1.5, 2.5]),
    ("constant_labels", [1.0, 2.0, 3.0], [2.0, 2.0, 2.0]),
    ("perfect", [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
    ("random_2000", reg_pred.tolist(), reg_label.tolist()),
    ("offset_far_from_zero", (reg_pred + 1e6).tolist(), (reg_label + 1e6).tolist()),
    ("non_finite", [1.0, NAN, 3.0, INF, 5.0, 2.0], [1.5, 2.0, -INF, 4.0, 4.0, NAN]),
    ("huge", [1e150, -1e150, 3e149], [2e150, -1e150, 1e149]),
    ("tiny", [1e-300, 2e-300, 3e-300], [1.5e-300, 2e-300, 2e-300]),
]

out = {
    "quantileQs": QS,
    "quantile": [dict(name=k, values=enc_list(v), expected=enc_list(quantiles(v, QS)))
                 for k, v in quantile_cases.items()],
    "score": [dict(name=n, score=enc_list(s), label=enc_list(y), threshold=t,
                   expected=encode_metrics(score_metrics(s, y, t)))
              for n, s, y, t in classification_cases],
    "classLabel": [dict(name=n, prediction=enc_list(p), label=enc_list(y),
                        expected=encode_metrics(class_label_metrics(p, y)))
                   for n, p, y in class_label_cases],
    "regression": [dict(name=n, prediction=enc_list(p), label=enc_list(y),
                        expected=encode_metrics(regression_metrics(p, y)))
                   for n, p, y in regression_cases],
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "stats", "reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, allow_nan=False)
    f.write("\n")
print("wrote", os.path.normpath(path))
