"""`vigil report` drift section: every window's statistics against drift_oracle.py (SciPy /
NumPy), the drifted flags on a log with a known mean shift and category-mix change, the
reference choices (default rule, --reference range, --reference-file) and concept drift."""
import argparse
import csv
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import drift_oracle  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "core", "reference"))
import make_cbpe_reference as cbpe_oracle  # noqa: E402

VIGIL = None
HOUR = 3_600_000
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z
HOURS = 48
ROWS_PER_HOUR = 400
SHIFT_HOUR = 30    # amount's mean and country's mix change from here on
DEGRADE_HOUR = 36  # predictions become coin flips from here on
REF_HOURS = 12
STATS = ("ks_d", "ks_p", "wasserstein", "psi", "js", "hellinger", "chi2", "chi2_p", "missing_share")


def make_rows(seed):
    rng = random.Random(seed)
    rows = []
    for h in range(HOURS):
        for i in range(ROWS_PER_HOUR):
            ts = T0 + h * HOUR + rng.randrange(HOUR)
            shifted = h >= SHIFT_HOUR
            amount = round(rng.gauss(130 if shifted else 100, 15), 2) if rng.random() > 0.01 else None
            tenure = round(rng.gauss(50, 10), 1)
            if rng.random() < 0.005:
                tenure = float("nan")
            mix = (0.2, 0.3, 0.5) if shifted else (0.5, 0.3, 0.2)
            country = rng.choices(["DE", "FR", "US"], weights=mix)[0]
            device = rng.choice(["ios", "android", "web"]) if rng.random() > 0.02 else None
            label = rng.random() < 0.3
            if h >= DEGRADE_HOUR:
                pred = round(rng.random(), 4)
            else:
                pred = round(min(1.0, max(0.0, (0.75 if label else 0.25) + rng.gauss(0, 0.1))), 4)
            rows.append({"ts": ts, "amount": amount, "tenure": tenure, "country": country,
                         "device": device, "prediction": pred,
                         "label": float(label) if rng.random() < 0.8 else None})
    rows.sort(key=lambda r: r["ts"])
    return rows


def js_value(v):
    if v is None:
        return "null"
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    if isinstance(v, str):
        return json.dumps(v)
    return repr(float(v))


def write_jsonl(path, rows):
    with open(path, "w") as f:
        for r in rows:
            feats = ", ".join(f'"{k}": {js_value(r[k])}' for k in ("amount", "tenure", "country", "device"))
            f.write(f'{{"ts": {r["ts"]}, "request_id": "x", "model": "m", "version": "1", "latency_ms": 10.0, '
                    f'"status": "ok", "features": {{{feats}}}, "prediction": {js_value(r["prediction"])}, '
                    f'"label": {js_value(r["label"])}}}\n')


def run_report(log, *args):
    out = log + ".report.json"
    proc = subprocess.run([VIGIL, "report", log, "--out", out, "--window", "1h", "--quiet", *args],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise AssertionError(f"vigil report -> {proc.returncode}\n{proc.stderr}")
    with open(out) as f:
        return json.load(f)


def close(expected, actual, p_value):
    if expected is None or actual is None:
        return expected is None and actual is None
    if p_value:
        return math.isclose(expected, actual, rel_tol=1e-7, abs_tol=1e-12)
    return math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-12)


FEATURES = {"amount": drift_oracle.numeric, "tenure": drift_oracle.numeric,
            "country": drift_oracle.categorical, "device": drift_oracle.categorical,
            "prediction": drift_oracle.numeric, "label": drift_oracle.numeric}


class DriftReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.rows = make_rows(11)
        cls.log = os.path.join(cls.tmp.name, "drift.jsonl")
        write_jsonl(cls.log, cls.rows)
        cls.by_hour = [[] for _ in range(HOURS)]
        for r in cls.rows:
            cls.by_hour[(r["ts"] - T0) // HOUR].append(r)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def check_against_oracle(self, report, ref_rows):
        self.assertEqual(len(report["windows"]), HOURS)
        for name, fn in FEATURES.items():
            ref = [r[name] for r in ref_rows]
            for h, w in enumerate(report["windows"]):
                expected = fn(ref, [r[name] for r in self.by_hour[h]])
                actual = w["drift"][name]
                self.assertEqual(actual["kind"], expected["kind"], name)
                for stat in STATS:
                    self.assertTrue(close(expected[stat], actual[stat], stat.endswith("_p")),
                                    f"window {h} {name}.{stat}: expected {expected[stat]!r}, got {actual[stat]!r}")

    def check_flags(self, report, first_free_hour):
        flags = {name: [w["drift"][name]["drifted"] for w in report["windows"]] for name in FEATURES}
        for name in ("amount", "country"):
            self.assertEqual(flags[name][SHIFT_HOUR:], [True] * (HOURS - SHIFT_HOUR), name)
            self.assertEqual(flags[name][first_free_hour:SHIFT_HOUR], [False] * (SHIFT_HOUR - first_free_hour), name)
        for name in ("tenure", "device"):
            self.assertEqual(flags[name], [False] * HOURS, name)

    def test_range_reference_matches_oracle(self):
        rep = run_report(self.log, "--reference", f"{T0}..2026-01-01T12:00:00Z")
        ref_rows = [r for r in self.rows if r["ts"] < T0 + REF_HOURS * HOUR]
        self.assertEqual(rep["reference"], {"start_ms": T0, "end_ms": T0 + REF_HOURS * HOUR,
                                            "rows": len(ref_rows), "source": "range"})
        self.assertFalse(rep["sampled"])
        self.check_against_oracle(rep, ref_rows)
        self.check_flags(rep, 0)
        # The multivariate error rises with the shift and leaves the reference band.
        mv = [w["multivariate"] for w in rep["windows"]]
        self.assertTrue(all(m["reconstruction_error"] is not None for m in mv))
        # A mean ± 3σ band from 12 reference windows is a statistical rule: on stable data
        # it may let one window of 18 out by chance, never a run of them.
        stable_flags = sum(1 for m in mv[REF_HOURS:SHIFT_HOUR] if m["drifted"])
        self.assertLessEqual(stable_flags, 1, [m["reconstruction_error"] for m in mv[REF_HOURS:SHIFT_HOUR]])
        self.assertTrue(all(m["drifted"] for m in mv[SHIFT_HOUR:]))

    def test_reference_file_matches_oracle(self):
        ref_rows = [r for r in self.rows if r["ts"] < T0 + REF_HOURS * HOUR]
        ref_log = os.path.join(self.tmp.name, "reference.jsonl")
        write_jsonl(ref_log, ref_rows)
        rep = run_report(self.log, "--reference-file", ref_log)
        self.assertEqual(rep["reference"]["source"], "file")
        self.assertEqual(rep["reference"]["rows"], len(ref_rows))
        self.check_against_oracle(rep, ref_rows)

    def test_default_reference_is_first_tenth_of_windows(self):
        rep = run_report(self.log)
        # 48 hourly windows span < 240 h: the first 10 % (4 windows) are the reference.
        self.assertEqual(rep["reference"]["start_ms"], T0)
        self.assertEqual(rep["reference"]["end_ms"], T0 + 4 * HOUR)
        self.check_flags(rep, 4)

    def test_concept_drift_after_degradation(self):
        rep = run_report(self.log, "--reference", f"{T0}..{T0 + REF_HOURS * HOUR}")
        events = rep["concept_drift"]
        for det in ("ADWIN", "DDM"):
            times = [e["ts_ms"] for e in events if e["detector"] == det]
            self.assertTrue(any(T0 + DEGRADE_HOUR * HOUR <= t < T0 + (DEGRADE_HOUR + 2) * HOUR for t in times),
                            f"{det}: {times}")
        self.assertTrue(all(e["stream"] == "misclassification" for e in events))
        # At most one event per detector and window.
        keys = [(e["detector"], (e["ts_ms"] - T0) // HOUR) for e in events]
        self.assertEqual(len(keys), len(set(keys)))

    def test_no_drift_and_bad_reference(self):
        rep = run_report(self.log, "--no-drift")
        self.assertNotIn("reference", rep)
        self.assertNotIn("drift", rep["windows"][0])
        bad = subprocess.run([VIGIL, "report", self.log, "--out", "-", "--reference", "yesterday"],
                             capture_output=True, text=True, timeout=600)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("--reference", bad.stderr)
        empty = subprocess.run([VIGIL, "report", self.log, "--out", "-", "--reference", "0..1000"],
                               capture_output=True, text=True, timeout=600)
        self.assertNotEqual(empty.returncode, 0)
        self.assertIn("reference has no rows", empty.stderr)

    def test_cbpe_matches_oracle(self):
        # An over-confident model (true probability sigmoid(z), score sigmoid(2.5 z)) whose
        # inputs shift after hour 12; labels arrive for the first 18 hours only.
        rng = random.Random(5)
        rows = []
        for h in range(24):
            for _ in range(300):
                z = rng.gauss(0.8 if h >= 12 else 0.0, 1.3)
                label = float(rng.random() < 1 / (1 + math.exp(-z)))
                rows.append({"ts": T0 + h * HOUR + rng.randrange(HOUR), "amount": 1.0, "tenure": 1.0,
                             "country": "DE", "device": "ios",
                             "prediction": round(1 / (1 + math.exp(-2.5 * z)), 4),
                             "label": label if h < 18 else None})
        rows.sort(key=lambda r: r["ts"])
        log = os.path.join(self.tmp.name, "cbpe.jsonl")
        write_jsonl(log, rows)
        rep = run_report(log, "--reference", f"{T0}..{T0 + 6 * HOUR}")
        labelled = [r for r in rows if r["ts"] < T0 + 6 * HOUR and r["label"] is not None]
        ref_scores = [r["prediction"] for r in labelled]
        ref_labels = [r["label"] for r in labelled]
        self.assertTrue(cbpe_oracle.needs_calibration(ref_scores, ref_labels))
        iso = cbpe_oracle.IsotonicRegression(out_of_bounds="clip").fit(ref_scores, ref_labels)
        self.assertEqual(len(rep["windows"]), 24)
        for h, w in enumerate(rep["windows"]):
            scores = [r["prediction"] for r in rows if (r["ts"] - T0) // HOUR == h]
            expected = cbpe_oracle.estimate(scores, iso.predict(scores), 0.5)
            for k in ("accuracy", "f1", "roc_auc"):
                self.assertTrue(close(expected[k], w["estimated_performance"][k], False),
                                f"window {h} {k}: expected {expected[k]!r}, got {w['estimated_performance'][k]!r}")
        # Windows without labels still get estimates; realized values are null there.
        self.assertIsNone(rep["windows"][20]["performance"]["accuracy"])
        self.assertIsNotNone(rep["windows"][20]["estimated_performance"]["accuracy"])
        # Estimated close to realized where labels exist (no concept drift in this log),
        # also after the input shift that changed the realized values.
        for k in ("accuracy", "f1", "roc_auc"):
            errors = [abs(w["estimated_performance"][k] - w["performance"][k]) for w in rep["windows"][:18]]
            self.assertLess(sum(errors) / len(errors), 0.04, (k, errors))
        shifted = sum(w["performance"]["f1"] for w in rep["windows"][12:18]) / 6
        stable = sum(w["performance"]["f1"] for w in rep["windows"][:12]) / 12
        self.assertGreater(abs(shifted - stable), 0.04)

    def test_cbpe_tracks_realized_on_demo_log(self):
        # The demo's churn model is stable until its features drift on day 5.5 (and the world
        # changes on day 6): before that, estimated and realized agree within sampling error.
        demo = os.path.join(self.tmp.name, "demo")
        subprocess.run([VIGIL, "demo", "--no-gui", "--dir", demo, "--end", "1767225600000"],
                       check=True, capture_output=True, timeout=600, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
        rep = run_report(os.path.join(demo, "predictions.jsonl"))
        t0 = rep["windows"][0]["start_ms"]
        stable = [w for w in rep["windows"] if w["start_ms"] - t0 < 5.5 * 24 * HOUR and w["labeled"] > 50]
        self.assertGreater(len(stable), 100)
        for k in ("accuracy", "f1", "roc_auc"):
            errors = [abs(w["estimated_performance"][k] - w["performance"][k]) for w in stable]
            self.assertLess(sum(errors) / len(errors), 0.02, k)
        # After the concept drift the estimate cannot follow (no labels are used): it stays up.
        late = [w for w in rep["windows"] if w["start_ms"] - t0 >= 6.2 * 24 * HOUR and w["labeled"] > 50]
        gap = sum(w["estimated_performance"]["accuracy"] - w["performance"]["accuracy"] for w in late) / len(late)
        self.assertGreater(gap, 0.1)

    def test_cbpe_null_without_scores(self):
        # Class-label predictions: CBPE needs scores, so every estimate is null.
        log = os.path.join(self.tmp.name, "classes.jsonl")
        rows = [dict(r, prediction=float(r["prediction"] >= 0.5)) for r in self.rows[: 8 * ROWS_PER_HOUR]]
        write_jsonl(log, rows)
        config = os.path.join(self.tmp.name, "classes.json")
        with open(config, "w") as f:
            json.dump({"mapping": {"prediction_kind": "class"}}, f)
        rep = run_report(log, "--config", config)
        self.assertEqual(rep["prediction_kind"], "class")
        self.assertTrue(all(w["estimated_performance"] == {"accuracy": None, "f1": None, "roc_auc": None}
                            for w in rep["windows"]))

    def test_per_feature_decision_config(self):
        args = ["--reference", f"{T0}..{T0 + REF_HOURS * HOUR}"]
        base = run_report(self.log, *args)
        config = os.path.join(self.tmp.name, "decide.json")
        with open(config, "w") as f:
            json.dump({"drift": {"features": {"amount": {"ignore": True}, "country": {"min_effect": 0.99},
                                              "no_such_feature": {"min_effect": 0.5}}}}, f)
        out = log_out = self.log + ".cfg.json"
        proc = subprocess.run([VIGIL, "report", self.log, "--out", out, "--window", "1h", "--quiet",
                               "--config", config, *args], capture_output=True, text=True, timeout=600)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("no_such_feature", proc.stderr)
        with open(log_out) as f:
            rep = json.load(f)
        self.assertIn("config drift.features names 'no_such_feature'", " ".join(rep["warnings"]))
        for bw, w in zip(base["windows"], rep["windows"]):
            # Statistics unchanged; only the decisions move.
            self.assertEqual(bw["drift"]["amount"]["ks_d"], w["drift"]["amount"]["ks_d"])
            self.assertFalse(w["drift"]["amount"]["drifted"])
            self.assertFalse(w["drift"]["country"]["drifted"])
        self.assertTrue(all(w["drift"]["amount"]["drifted"] for w in base["windows"][SHIFT_HOUR:]))
        # A global alpha of 0 flags nothing.
        with open(config, "w") as f:
            json.dump({"drift": {"alpha": 0}}, f)
        proc = subprocess.run([VIGIL, "report", self.log, "--out", out, "--window", "1h", "--quiet",
                               "--config", config, *args], capture_output=True, text=True, timeout=600)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(log_out) as f:
            rep = json.load(f)
        self.assertFalse(any(f["drifted"] for w in rep["windows"] for f in w["drift"].values()))

    def test_csv_report_has_drift(self):
        args = ["--reference", f"{T0}..{T0 + REF_HOURS * HOUR}"]
        rep = run_report(self.log, *args)
        out = os.path.join(self.tmp.name, "r.csv")
        proc = subprocess.run([VIGIL, "report", self.log, "--out", out, "--window", "1h", "--quiet", *args],
                              capture_output=True, text=True, timeout=600)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out) as f:
            table = [r for r in csv.DictReader(f)]
        overall = [r for r in table if r["segment"] == "all"]
        self.assertEqual(len(overall), HOURS)
        for r, w in zip(overall, rep["windows"]):
            self.assertEqual(int(r["drifted_features"]), sum(f["drifted"] for f in w["drift"].values()))
            self.assertEqual(float(r["estimated_accuracy"]), w["estimated_performance"]["accuracy"])
            self.assertEqual(float(r["multivariate_error"]), w["multivariate"]["reconstruction_error"])
            self.assertEqual(r["multivariate_drifted"] == "1", w["multivariate"]["drifted"])
        # Version rows have the columns, empty.
        self.assertTrue(all(r["drifted_features"] == "" for r in table if r["segment"] != "all"))
        with open(os.path.join(self.tmp.name, "r.drift.csv")) as f:
            long = list(csv.DictReader(f))
        self.assertEqual(len(long), HOURS * (len(FEATURES) + 1))
        for r in long:
            h = (int(r["start_ms"]) - T0) // HOUR
            w = rep["windows"][h]
            if r["feature"] == "__multivariate__":
                self.assertEqual(float(r["reconstruction_error"]), w["multivariate"]["reconstruction_error"])
                continue
            d = w["drift"][r["feature"]]
            self.assertEqual(r["kind"], d["kind"])
            self.assertEqual(r["drifted"] == "1", d["drifted"])
            for stat in STATS:
                self.assertEqual(float(r[stat]) if r[stat] else None, d[stat], (h, r["feature"], stat))
        # --no-drift writes no drift file and no drift columns.
        os.remove(os.path.join(self.tmp.name, "r.drift.csv"))
        subprocess.run([VIGIL, "report", self.log, "--out", out, "--window", "1h", "--quiet", "--no-drift"],
                       check=True, timeout=600)
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "r.drift.csv")))
        with open(out) as f:
            self.assertNotIn("drifted_features", f.readline())

    def test_rolling_reference(self):
        n = 3
        rep = run_report(self.log, "--reference", f"rolling:{n}")
        self.assertEqual(rep["reference"]["source"], "rolling")
        self.assertEqual(rep["reference"]["windows"], n)
        self.assertEqual(len(rep["windows"]), HOURS)
        # The first window has nothing to compare with.
        self.assertTrue(all(v is None for f in rep["windows"][0]["drift"].values() for k, v in f.items()
                            if k not in ("kind", "drifted")))
        for h in (1, 2, 3, 17, SHIFT_HOUR, SHIFT_HOUR + 1, HOURS - 1):
            ref = [r for k in range(max(0, h - n), h) for r in self.by_hour[k]]
            for name, fn in FEATURES.items():
                expected = fn([r[name] for r in ref], [r[name] for r in self.by_hour[h]])
                actual = rep["windows"][h]["drift"][name]
                for stat in STATS:
                    self.assertTrue(close(expected[stat], actual[stat], stat.endswith("_p")),
                                    f"window {h} {name}.{stat}: expected {expected[stat]!r}, got {actual[stat]!r}")
        # The shift is seen when it happens; three windows later the reference has caught up.
        amount = [w["drift"]["amount"]["drifted"] for w in rep["windows"]]
        self.assertTrue(amount[SHIFT_HOUR])
        self.assertFalse(any(amount[SHIFT_HOUR + n:]))
        self.assertTrue(rep["windows"][5]["estimated_performance"]["accuracy"] is not None)
        bad = subprocess.run([VIGIL, "report", self.log, "--out", "-", "--reference", "rolling:0"],
                             capture_output=True, text=True, timeout=600)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("rolling:N", bad.stderr)

    def test_reference_profile_equals_original(self):
        profile = os.path.join(self.tmp.name, "ref.profile.json")
        args = ["--reference", f"{T0}..{T0 + REF_HOURS * HOUR}"]
        original = run_report(self.log, *args, "--save-reference", profile)
        with open(profile) as f:
            doc = json.load(f)
        self.assertEqual(doc["vigil_reference_profile"], 1)
        self.assertLess(os.path.getsize(profile), 400_000)
        # 4800 reference rows: every numeric feature is stored exactly.
        self.assertTrue(all(f["exact"] for f in doc["features"] if f["kind"] == "numeric"))
        reused = run_report(self.log, "--reference-profile", profile)
        self.assertEqual(reused["reference"], dict(original["reference"], source="profile"))
        self.assertEqual(reused["concept_drift"], original["concept_drift"])
        for h, (a, b) in enumerate(zip(original["windows"], reused["windows"])):
            self.assertEqual(a["drift"], b["drift"], h)
            self.assertEqual(a["estimated_performance"], b["estimated_performance"], h)
            # Reference windows are scored on held-out rows in the original run only.
            if h >= REF_HOURS:
                self.assertEqual(a["multivariate"], b["multivariate"], h)
        # The same from a reference file.
        ref_log = os.path.join(self.tmp.name, "reference12.jsonl")
        write_jsonl(ref_log, [r for r in self.rows if r["ts"] < T0 + REF_HOURS * HOUR])
        original = run_report(self.log, "--reference-file", ref_log, "--save-reference", profile)
        reused = run_report(self.log, "--reference-profile", profile)
        for a, b in zip(original["windows"], reused["windows"]):
            for key in ("drift", "multivariate", "estimated_performance"):
                self.assertEqual(a[key], b[key])

    def test_reference_profile_sketch(self):
        # 30 h of 400 rows: 12000 > 10000 values per feature, so numeric features are sketched.
        profile = os.path.join(self.tmp.name, "big.profile.json")
        args = ["--reference", f"{T0}..{T0 + 30 * HOUR}"]
        original = run_report(self.log, *args, "--save-reference", profile)
        with open(profile) as f:
            doc = json.load(f)
        amount = next(f for f in doc["features"] if f["name"] == "amount")
        self.assertFalse(amount["exact"])
        self.assertEqual(len(amount["values"]), 10001)
        finite = [r["amount"] for r in self.rows if r["ts"] < T0 + 30 * HOUR and r["amount"] is not None]
        spread = max(finite) - min(finite)
        reused = run_report(self.log, "--reference-profile", profile)
        for a, b in zip(original["windows"][30:], reused["windows"][30:]):
            for name in ("amount", "tenure"):
                x, y = a["drift"][name], b["drift"][name]
                self.assertLessEqual(abs(x["ks_d"] - y["ks_d"]), 2 / 10000, name)
                self.assertLessEqual(abs(x["wasserstein"] - y["wasserstein"]), spread / 10000 + 1e-12, name)
                for stat in ("psi", "js", "hellinger", "missing_share"):
                    self.assertTrue(close(x[stat], y[stat], False), (name, stat))
            self.assertEqual(a["drift"]["country"], b["drift"]["country"])

    def test_reference_profile_mismatch(self):
        profile = os.path.join(self.tmp.name, "mm.profile.json")
        run_report(self.log, "--save-reference", profile)
        other = os.path.join(self.tmp.name, "renamed.jsonl")
        with open(self.log) as f, open(other, "w") as g:
            g.write(f.read().replace('"tenure"', '"tenure_months"'))
        proc = subprocess.run([VIGIL, "report", other, "--out", "-", "--reference-profile", profile],
                              capture_output=True, text=True, timeout=600)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("tenure", proc.stderr)
        self.assertIn("does not fit", proc.stderr)
        with open(profile) as f:
            doc = json.load(f)
        doc["vigil_reference_profile"] = 99
        with open(profile, "w") as f:
            json.dump(doc, f)
        proc = subprocess.run([VIGIL, "report", self.log, "--out", "-", "--reference-profile", profile],
                              capture_output=True, text=True, timeout=600)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("version 99", proc.stderr)
        proc = subprocess.run([VIGIL, "report", self.log, "--out", "-", "--reference", "rolling:2",
                               "--save-reference", profile], capture_output=True, text=True, timeout=600)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("rolling", proc.stderr)

    def test_sampled_windows(self):
        rep = run_report(self.log, "--reference", f"{T0}..{T0 + REF_HOURS * HOUR}", "--drift-max-rows", "200")
        self.assertTrue(rep["sampled"])
        self.assertTrue(all(w["drift_sampled"] for w in rep["windows"]))
        self.assertTrue(all(w["drift"]["amount"]["drifted"] for w in rep["windows"][SHIFT_HOUR:]))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    opts, rest = ap.parse_known_args()
    VIGIL = opts.vigil
    unittest.main(argv=[sys.argv[0], "-v", *rest])
