"""End-to-end tests of `vigil report`, `vigil snapshot` and `vigil demo --no-gui`:
real files in, the vigil binary run as a user would, numbers checked against the
independent numpy/scikit-learn oracle in oracle.py."""
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
import oracle  # noqa: E402

VIGIL = None
HOUR = 3_600_000
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def run(*args, check=True):
    proc = subprocess.run([VIGIL, *args], capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"vigil {' '.join(args)} -> {proc.returncode}\n{proc.stderr}")
    return proc


def assert_close(test, expected, actual, path="$"):
    if isinstance(expected, dict):
        test.assertIsInstance(actual, dict, path)
        for k, v in expected.items():
            test.assertIn(k, actual, f"{path}.{k} missing")
            assert_close(test, v, actual[k], f"{path}.{k}")
    elif isinstance(expected, list):
        test.assertEqual(len(expected), len(actual), f"{path}: length")
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_close(test, e, a, f"{path}[{i}]")
    elif expected is None:
        test.assertIsNone(actual, path)
    elif isinstance(expected, float):
        test.assertIsNotNone(actual, f"{path}: expected {expected}, got null")
        test.assertTrue(math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-12),
                        f"{path}: expected {expected!r}, got {actual!r}")
    else:
        test.assertEqual(expected, actual, path)


def make_rows(seed, n, kind="score", versions=("1.3.0", "1.4.0", "2.0.0-rc1"), span_ms=30 * HOUR):
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        ts = T0 + rng.randrange(span_ms)
        version = versions[min(len(versions) - 1, int(len(versions) * (ts - T0) / span_ms + rng.random() * 0.7))]
        latency = rng.lognormvariate(3, 0.5)
        r = rng.random()
        if r < 0.01:
            latency = float("nan")
        elif r < 0.015:
            latency = None
        status_ok = rng.random() > 0.03 if rng.random() > 0.02 else None
        if kind == "score":
            label = rng.random() < 0.3
            pred = min(1.0, max(0.0, (0.65 if label else 0.35) + rng.gauss(0, 0.2)))
            pred = round(pred, 4)
            label = float(label) if rng.random() < 0.7 else None
        else:
            truth = rng.gauss(100, 20)
            pred = truth + rng.gauss(0, 5)
            label = truth if rng.random() < 0.8 else None
        if rng.random() < 0.005:
            pred = float("nan")
        kpi = {"revenue": round(rng.expovariate(0.1), 2) if rng.random() < 0.9 else None,
               "converted": float(rng.random() < 0.2)}
        rows.append({"ts": ts, "request_id": f"r{i}", "version": version, "latency": latency,
                     "status_ok": status_ok, "prediction": pred, "label": label, "kpi": kpi,
                     "amount": round(rng.uniform(1, 500), 2), "country": rng.choice(["DE", "FR", "US"])})
    return rows


def num(v):
    if v is None:
        return "null"
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    return repr(float(v))


def write_jsonl(path, rows, junk=()):
    """junk: {line_number(1-based): text} inserted as extra malformed lines."""
    lines = []
    for r in rows:
        status = "null" if r["status_ok"] is None else ('"ok"' if r["status_ok"] else '"error"')
        kpi = ", ".join(f'"{k}": {num(v)}' for k, v in r["kpi"].items())
        lines.append(
            f'{{"ts": {r["ts"]}, "request_id": "{r["request_id"]}", "model": "churn", "version": "{r["version"]}", '
            f'"latency_ms": {num(r["latency"])}, "status": {status}, '
            f'"features": {{"amount": {r["amount"]}, "country": "{r["country"]}"}}, '
            f'"prediction": {num(r["prediction"])}, "label": {num(r["label"])}, "kpi": {{{kpi}}}}}')
    for line_no in sorted(junk):
        lines.insert(line_no - 1, junk[line_no])
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def csv_cell(v):
    if v is None:
        return ""
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    return repr(float(v))


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ts", "request_id", "model", "version", "latency_ms", "status", "features.amount",
                    "features.country", "prediction", "label", "kpi.revenue", "kpi.converted"])
        for r in rows:
            status = "" if r["status_ok"] is None else ("ok" if r["status_ok"] else "error")
            w.writerow([r["ts"], r["request_id"], "churn", r["version"], csv_cell(r["latency"]), status,
                        r["amount"], r["country"], csv_cell(r["prediction"]), csv_cell(r["label"]),
                        csv_cell(r["kpi"]["revenue"]), csv_cell(r["kpi"]["converted"])])


def expected_report(rows, window_ms, threshold=0.5, kind="score"):
    exp = {"window_ms": window_ms, "windows": oracle.windows(rows, window_ms, threshold, kind), "by_version": {}}
    for v in sorted({r["version"] for r in rows}):
        exp["by_version"][v] = {"windows": oracle.windows([r for r in rows if r["version"] == v], window_ms,
                                                          threshold, kind)}
    return exp


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def report(self, *args):
        out = self.path("report.json")
        run("report", *args, "--out", out, "--quiet")
        with open(out) as f:
            return json.load(f)

    def test_score_log_matches_oracle(self):
        rows = make_rows(1, 4000)
        junk = {5: '{"ts": 1767225600000, "latency_ms": ', 100: "\x00\x01binary junk\xff",
                2000: '{"ts": "yesterday", "prediction": 0.5}', 3999: "[1, 2, 3]"}
        write_jsonl(self.path("log.jsonl"), rows, junk)
        rep = self.report(self.path("log.jsonl"), "--window", "1h")
        self.assertEqual(rep["vigil_report"], 1)
        self.assertEqual(rep["source"]["rows"], len(rows))
        self.assertEqual(rep["source"]["malformed"], len(junk))
        self.assertEqual(sorted(p["line"] for p in rep["problems"]), sorted(junk))
        for p in rep["problems"]:
            self.assertTrue(p["error"], p)
            self.assertEqual(p["path"], self.path("log.jsonl"))
        self.assertEqual(rep["prediction_kind"], "score")
        assert_close(self, expected_report(rows, HOUR), rep)

    def test_csv_gives_the_same_numbers(self):
        rows = make_rows(2, 2000)
        write_csv(self.path("log.csv"), rows)
        rep = self.report(self.path("log.csv"), "--window", "1h")
        self.assertEqual(rep["source"]["malformed"], 0)
        assert_close(self, expected_report(rows, HOUR), rep)

    def test_threshold_and_kpi_ratio_from_config(self):
        rows = make_rows(3, 1500)
        write_jsonl(self.path("log.jsonl"), rows)
        with open(self.path("vigil.json"), "w") as f:
            json.dump({"threshold": 0.3, "window": "6h",
                       "kpi_ratios": [{"name": "conversion", "expr": "sum(converted) / rows"}]}, f)
        rep = self.report(self.path("log.jsonl"), "--config", self.path("vigil.json"))
        self.assertEqual(rep["window_ms"], 6 * HOUR)
        assert_close(self, expected_report(rows, 6 * HOUR, threshold=0.3), rep)
        for w, exp in zip(rep["windows"], oracle.windows(rows, 6 * HOUR, 0.3, "score")):
            conv = sum(r["kpi"]["converted"] for r in rows if oracle.window_start(r["ts"], 6 * HOUR) == w["start_ms"])
            self.assertAlmostEqual(w["kpi"]["conversion"], conv / exp["rows"], places=12)

    def test_regression_log(self):
        rows = make_rows(4, 1500, kind="regression")
        write_jsonl(self.path("reg.jsonl"), rows)
        rep = self.report(self.path("reg.jsonl"), "--window", "1h")
        self.assertEqual(rep["prediction_kind"], "regression")
        assert_close(self, expected_report(rows, HOUR, kind="regression"), rep)

    def test_default_window_gives_50_to_500_windows(self):
        rows = make_rows(5, 3000, span_ms=72 * HOUR)
        write_jsonl(self.path("log.jsonl"), rows)
        rep = self.report(self.path("log.jsonl"))
        self.assertEqual(rep["window_ms"], 15 * 60_000)  # 72 h / 15 min = 288 windows
        for w in rep["windows"]:
            self.assertEqual(w["start_ms"] % rep["window_ms"], 0)

    def test_csv_report(self):
        rows = make_rows(6, 500)
        write_jsonl(self.path("log.jsonl"), rows)
        out = self.path("r.csv")
        run("report", self.path("log.jsonl"), "--window", "1h", "--out", out, "--quiet")
        with open(out) as f:
            table = list(csv.DictReader(f))
        exp = oracle.windows(rows, HOUR, 0.5, "score")
        overall = [r for r in table if r["segment"] == "all"]
        self.assertEqual(len(overall), len(exp))
        for r, e in zip(overall, exp):
            self.assertEqual(int(r["rows"]), e["rows"])
            if e["performance"]["roc_auc"] is None:
                self.assertEqual(r["roc_auc"], "")
            else:
                self.assertAlmostEqual(float(r["roc_auc"]), e["performance"]["roc_auc"], places=12)
        self.assertTrue(any(r["segment"].startswith("version=") for r in table))

    def test_errors_are_one_line_and_exit_2(self):
        empty = self.path("empty.jsonl")
        open(empty, "w").close()
        bad = self.path("bad.jsonl")
        with open(bad, "w") as f:
            f.write("not json\n{also not\n")
        for args, needle in [((self.path("missing.jsonl"),), "missing.jsonl"), ((empty,), "empty"),
                             ((bad,), "bad.jsonl"), ((self.dir,), self.dir)]:
            proc = run("report", *args, "--out", self.path("x.json"), check=False)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            lines = proc.stderr.strip().splitlines()
            self.assertEqual(len(lines), 1, proc.stderr)
            self.assertIn(needle, lines[0])
        proc = run("report", "--out", self.path("x.json"), check=False)
        self.assertEqual(proc.returncode, 2)

    def test_help_and_version_need_no_display(self):
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
        for args, needle in [(("--version",), "0.1.0"), (("--help",), "Usage"), (("demo", "--help"), "Usage"),
                             (("snapshot", "--help"), "Usage"), (("report", "--help"), "Usage")]:
            proc = subprocess.run([VIGIL, *args], capture_output=True, text=True, timeout=60, env=env)
            self.assertEqual(proc.returncode, 0, f"{args}: {proc.stderr}")
            self.assertIn(needle, proc.stdout, args)

    def test_snapshot_formats(self):
        rows = make_rows(7, 1000)
        write_jsonl(self.path("log.jsonl"), rows)
        for view in ("performance", "operations", "kpi"):
            for ext, magic in (("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF-")):
                out = self.path(f"{view}.{ext}")
                run("snapshot", self.path("log.jsonl"), "--view", view, "--out", out, "--size", "1200x800")
                with open(out, "rb") as f:
                    data = f.read()
                self.assertTrue(data.startswith(magic), (view, ext, data[:16]))
                self.assertGreater(len(data), 2000, (view, ext))
                if ext == "svg":
                    self.assertIn(b"</svg>", data)
                if ext == "pdf":
                    self.assertIn(b"%%EOF", data[-64:])
        proc = run("snapshot", self.path("log.jsonl"), "--view", "nope", "--out", self.path("x.png"), check=False)
        self.assertEqual(proc.returncode, 2)

    def test_demo_is_deterministic_and_tells_its_story(self):
        end = T0 + 7 * 24 * HOUR
        paths = []
        for d in ("a", "b"):
            proc = run("demo", "--no-gui", "--seed", "11", "--end", str(end), "--dir", self.path(d))
            paths.append(proc.stdout.strip())
        with open(paths[0], "rb") as a, open(paths[1], "rb") as b:
            self.assertEqual(a.read(), b.read())
        rep = self.report(paths[0], "--window", "1h")
        self.assertEqual(rep["source"]["malformed"], 0)
        self.assertEqual(set(rep["by_version"]), {"1.3.0", "1.4.0"})
        self.assertEqual(len(rep["windows"]), 7 * 24)
        # The error burst (day 5, 90 min) stands out; the old version's latency is lower.
        rates = [w["operations"]["error_rate"] for w in rep["windows"]]
        self.assertGreater(max(rates), 0.1)
        old = rep["by_version"]["1.3.0"]["windows"][0]["operations"]["latency_ms"]["p50"]
        new = rep["by_version"]["1.4.0"]["windows"][-1]["operations"]["latency_ms"]["p50"]
        self.assertGreater(new, old * 1.2)
        # The last hours have no labels yet (ground truth arrives late).
        self.assertEqual(rep["windows"][-1]["labeled"], 0)
        self.assertIsNone(rep["windows"][-1]["performance"]["accuracy"])


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    opts, rest = ap.parse_known_args()
    VIGIL = opts.vigil
    unittest.main(argv=[sys.argv[0], "-v", *rest])
