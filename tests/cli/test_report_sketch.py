"""`vigil report --memory-budget` with one window that alone exceeds the budget (docs/SKETCHES.md):
that window is sketched, says "exact": false and lists its estimates; its counted fields equal the
unlimited report's, its estimates are within the stated bounds (checked against numpy/sklearn on
the generated rows); every other window and the rest of the report are the unlimited report's."""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from sklearn.metrics import roc_auc_score

VIGIL = None
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z
HOUR = 3_600_000
BURST_HOUR = 30
BURST_ROWS = 40_000
EPS = 2.446 / 1024 ** 0.9433  # kllRankError(1024), 0.354 %


def run(*args, env=None):
    proc = subprocess.run([VIGIL, *args], capture_output=True, text=True, timeout=600, env=env)
    if proc.returncode != 0:
        raise AssertionError(f"vigil {' '.join(args)} -> {proc.returncode}\n{proc.stderr}")
    return proc


def write_log(path):
    """48 hours of ~100 rows, the 31st hour with 40,000: two numeric features (x0 shifts in the
    burst), a category, versions, a KPI, latency, a score with an inline label on every row."""
    rng = random.Random(11)
    burst = []
    with open(path, "w") as f:
        for hour in range(48):
            n = BURST_ROWS if hour == BURST_HOUR else 100
            for i in range(n):
                ts = T0 + hour * HOUR + rng.randrange(HOUR)
                x0 = rng.gauss(0.5 if hour == BURST_HOUR else 0.0, 1.0)
                y = 1 if rng.random() < 1 / (1 + np.exp(-2 * x0)) else 0
                score = round(min(1.0, max(0.0, 0.5 + 0.25 * x0 + rng.gauss(0, 0.15))), 6)
                latency = round(rng.lognormvariate(3.0, 0.6), 3)
                rec = {"ts": ts, "request_id": f"r{hour}-{i}", "model": "m",
                       "version": "v2" if hour > 20 and i % 3 == 0 else "v1",
                       "latency_ms": latency, "status": "error" if rng.random() < 0.03 else "ok",
                       "features": {"x0": round(x0, 6), "x1": round(rng.uniform(0, 10), 4),
                                    "plan": rng.choice(["free", "basic", "pro"])},
                       "prediction": score, "label": y, "kpi": {"revenue": round(rng.uniform(0, 5), 3)}}
                f.write(json.dumps(rec) + "\n")
                if hour == BURST_HOUR:
                    burst.append((latency, score, y, x0))
    return burst


class SketchedWindowTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        cls.log = os.path.join(cls.dir, "log.jsonl")
        cls.burst = write_log(cls.log)
        cls.full = cls.report("--memory-budget", "0")
        cls.bounded = cls.report("--memory-budget", "1M")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def report(cls, *args):
        out = os.path.join(cls.dir, "r.json")
        run("report", cls.log, "--window", "1h", "--reference", f"{T0}..{T0 + 20 * HOUR}", "--out", out,
            "--quiet", *args)
        with open(out) as f:
            return json.load(f)

    def burst_window(self, report):
        start = T0 + BURST_HOUR * HOUR
        return next(w for w in report["windows"] if w["start_ms"] == start)

    def test_only_the_oversized_window_is_sketched(self):
        self.assertGreater(self.bounded["memory"]["spilled_rows"], 0)
        sketched = [w["start_ms"] for w in self.bounded["windows"] if not w["exact"]]
        self.assertEqual(sketched, [T0 + BURST_HOUR * HOUR])
        self.assertTrue(all(w["exact"] and "estimates" not in w for w in self.full["windows"]))
        w = self.burst_window(self.bounded)
        for path in ("operations.latency_ms.p50", "operations.latency_ms.p99", "performance.roc_auc",
                     "drift.x0.ks_d", "drift.x0.ks_p", "drift.x0.wasserstein", "drift.x0.drifted",
                     "drift.plan.drifted"):
            self.assertIn(path, w["estimates"])
        self.assertNotIn("performance.accuracy", w["estimates"])

    def test_counted_fields_are_exact(self):
        a, b = self.burst_window(self.bounded), self.burst_window(self.full)
        for key in ("rows", "labeled", "kpi", "non_finite"):
            self.assertEqual(a[key], b[key], key)
        self.assertEqual(a["rows"], BURST_ROWS)
        for key in ("accuracy", "precision", "recall", "f1", "log_loss", "brier"):
            self.assertEqual(a["performance"][key], b["performance"][key], key)
        self.assertEqual(a["operations"]["errors"], b["operations"]["errors"])
        for feature, d in b["drift"].items():
            for key in ("psi", "js", "hellinger", "chi2", "chi2_p", "missing_share"):
                self.assertEqual(a["drift"][feature][key], d[key], f"{feature}.{key}")
        self.assertEqual(a["multivariate"]["lower"], b["multivariate"]["lower"])
        self.assertAlmostEqual(a["multivariate"]["reconstruction_error"], b["multivariate"]["reconstruction_error"],
                               delta=1e-12 * abs(b["multivariate"]["reconstruction_error"]))
        self.assertEqual(a["estimated_performance"]["accuracy"], b["estimated_performance"]["accuracy"])

    def test_estimates_within_the_bound(self):
        w = self.burst_window(self.bounded)
        latency = np.sort(np.array([r[0] for r in self.burst]))
        n = len(latency)
        for q, key in ((0.5, "p50"), (0.9, "p90"), (0.95, "p95"), (0.99, "p99")):
            v = w["operations"]["latency_ms"][key]
            lo = np.searchsorted(latency, v, side="left") / n
            hi = np.searchsorted(latency, v, side="right") / n
            self.assertTrue(lo - EPS <= q <= hi + EPS, f"{key}={v}: true rank [{lo}, {hi}]")
        y = np.array([r[2] for r in self.burst])
        s = np.array([r[1] for r in self.burst])
        self.assertLessEqual(abs(w["performance"]["roc_auc"] - roc_auc_score(y, s)), 2 * EPS)
        full = self.burst_window(self.full)
        for feature, d in full["drift"].items():
            if d["ks_d"] is not None:
                self.assertLessEqual(abs(w["drift"][feature]["ks_d"] - d["ks_d"]), EPS, feature)

    def test_rest_of_the_report_is_unchanged(self):
        start = T0 + BURST_HOUR * HOUR

        def strip(report):
            r = dict(report)
            r.pop("memory")
            r["windows"] = [w for w in r["windows"] if w["start_ms"] != start]
            r["by_version"] = {v: dict(seg, windows=[w for w in seg["windows"] if w["start_ms"] != start])
                               for v, seg in r["by_version"].items()}
            return r
        self.assertEqual(json.dumps(strip(self.full), sort_keys=True), json.dumps(strip(self.bounded), sort_keys=True))
        # by_version's burst windows are sketched too, and exact where they count.
        for version, seg in self.bounded["by_version"].items():
            a = next(w for w in seg["windows"] if w["start_ms"] == start)
            b = next(w for w in self.full["by_version"][version]["windows"] if w["start_ms"] == start)
            self.assertFalse(a["exact"])
            self.assertEqual((a["rows"], a["kpi"]), (b["rows"], b["kpi"]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--vigil", required=True)
    args, rest = parser.parse_known_args()
    VIGIL = args.vigil
    unittest.main(argv=[sys.argv[0], *rest])
