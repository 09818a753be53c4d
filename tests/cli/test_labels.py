"""End-to-end tests of late labels (`vigil report LOG --labels FILE`): the report's
windows after the join against an independent Python join scored by the numpy/sklearn
oracle, the label counts recounted here, the label delay against numpy.percentile."""
import argparse
import datetime
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import test_report  # noqa: E402  (make_rows, write_jsonl, expected_report, assert_close)

VIGIL = None
HOUR = 3_600_000


def run(*args, check=True):
    proc = subprocess.run([VIGIL, *args], capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"vigil {' '.join(args)} -> {proc.returncode}\n{proc.stderr}")
    return proc


def iso(ts_ms):
    t = datetime.datetime.fromtimestamp(ts_ms / 1000, tz=datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts_ms % 1000:03d}Z"


def make_labels(rows, seed):
    """Label records for most rows, arriving 0-30 h after the prediction, plus the awkward
    cases: a superseded earlier verdict, an exact-ts tie, ids the log never saw, null and
    NaN labels, a label older than its prediction. Returns [(id, label or None, ts)]."""
    rng = random.Random(seed)
    out = []
    for r in rows:
        u = rng.random()
        if u < 0.25:
            continue  # never labelled
        truth = 1.0 if r["prediction"] is not None and not math.isnan(r["prediction"]) and \
            rng.random() < r["prediction"] else 0.0
        ts = r["ts"] + int(rng.lognormvariate(math.log(6 * HOUR), 0.8))
        if u < 0.30:
            out.append((r["request_id"], 1.0 - truth, ts - HOUR))  # earlier verdict, superseded
        elif u < 0.32:
            out.append((r["request_id"], 1.0 - truth, ts))  # same ts: the later record wins
        elif u < 0.33:
            out.append((r["request_id"], None, ts))  # null label: read, not joined
            continue
        elif u < 0.335:
            truth = float("nan")
        elif u < 0.34:
            ts = r["ts"] - 60_000  # label before the prediction
        out.append((r["request_id"], truth, ts))
    for i in range(150):
        out.append((f"ghost{i}", float(rng.random() < 0.5), rows[0]["ts"] + i * 1000))
    rng.shuffle(out)
    return out


def python_join(rows, labels):
    """The join as docs/LOG_FORMAT.md describes it, written independently of vigil."""
    best = {}
    counts = dict(labels_read=0, null_labels=0, duplicate_labels=0)
    for rid, value, ts in labels:
        counts["labels_read"] += 1
        if value is None:
            counts["null_labels"] += 1
            continue
        if rid in best:
            counts["duplicate_labels"] += 1
            if ts >= best[rid][0]:
                best[rid] = (ts, value)
        else:
            best[rid] = (ts, value)
    ids = {r["request_id"] for r in rows}
    counts["matched"] = sum(1 for rid in best if rid in ids)
    counts["unmatched_labels"] = len(best) - counts["matched"]
    joined, delays, replaced = [], [], 0
    for r in rows:
        r = dict(r)
        if r["request_id"] in best:
            ts, value = best[r["request_id"]]
            replaced += r["label"] is not None
            r["label"] = value
            delays.append(ts - r["ts"])
        joined.append(r)
    counts["predictions_labelled"] = len(delays)
    counts["inline_labels_replaced"] = replaced
    counts["negative_delays"] = sum(1 for d in delays if d < 0)
    seen, dup_ids = set(), 0
    for r in rows:
        dup_ids += r["request_id"] in seen
        seen.add(r["request_id"])
    counts["duplicate_prediction_ids"] = dup_ids
    d = np.array(delays, dtype=float)
    counts["delay_ms"] = {"p50": float(np.percentile(d, 50)) if d.size else None,
                          "p95": float(np.percentile(d, 95)) if d.size else None}
    return joined, counts


def label_value_text(v, csv):
    if v is None:
        return "" if csv else "null"
    if math.isnan(v):
        return "NaN"
    return str(int(v))


def write_labels_jsonl(path, labels, names=("request_id", "label", "ts"), junk=()):
    rid, lab, ts = names
    lines = [f'{{"{rid}": "{i}", "{lab}": {label_value_text(v, False)}, "{ts}": {t}}}' for i, v, t in labels]
    for line_no in sorted(junk):
        lines.insert(line_no - 1, junk[line_no])
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def write_labels_csv(path, labels):
    with open(path, "w") as f:
        f.write("request_id,label,ts\n")
        for i, v, t in labels:
            f.write(f"{i},{label_value_text(v, True)},{iso(t)}\n")


class LabelsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        test_report.VIGIL = VIGIL

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def report(self, *args):
        out = self.path("report.json")
        run("report", *args, "--out", out, "--quiet", "--no-drift")
        with open(out) as f:
            return json.load(f)

    def rows(self, seed, n):
        rows = test_report.make_rows(seed, n)
        # Retried requests: the same id logged twice; the label goes to both rows.
        rng = random.Random(seed + 1)
        for r in rng.sample(rows, 40):
            again = dict(r)
            again["ts"] = r["ts"] + rng.randrange(1, 120_000)
            rows.append(again)
        return rows

    def check(self, rep, rows, labels, source):
        joined, counts = python_join(rows, labels)
        exp = test_report.expected_report(joined, HOUR)
        test_report.assert_close(self, exp, rep)
        got = rep["labels"]
        self.assertEqual(got["source"], source)
        for key, value in counts.items():
            if key == "delay_ms":
                test_report.assert_close(self, value, got[key], "$.labels.delay_ms")
            else:
                self.assertEqual(value, got[key], key)
        self.assertEqual(got["predictions_without_id"], 0)
        self.assertEqual(got["labels_read"], got["null_labels"] + got["duplicate_labels"] + got["matched"] +
                         got["unmatched_labels"])
        # The awkward cases really occur, so the counts above test something.
        for key in ("duplicate_labels", "null_labels", "unmatched_labels", "negative_delays",
                    "inline_labels_replaced", "duplicate_prediction_ids"):
            self.assertGreater(got[key], 0, key)
        self.assertGreater(sum(w["non_finite"]["label"] for w in rep["windows"]), 0)

    def test_jsonl_labels_match_python_join(self):
        rows = self.rows(21, 3000)
        labels = make_labels(rows, 5)
        test_report.write_jsonl(self.path("log.jsonl"), rows)
        write_labels_jsonl(self.path("labels.jsonl"), labels)
        rep = self.report(self.path("log.jsonl"), "--window", "1h", "--labels", self.path("labels.jsonl"))
        self.check(rep, rows, labels, self.path("labels.jsonl"))
        self.assertEqual(rep["labels"]["malformed"], 0)

    def test_csv_labels_with_iso_timestamps(self):
        rows = self.rows(22, 2000)
        labels = make_labels(rows, 6)
        test_report.write_jsonl(self.path("log.jsonl"), rows)
        write_labels_csv(self.path("labels.csv"), labels)
        rep = self.report(self.path("log.jsonl"), "--window", "1h", "--labels", self.path("labels.csv"))
        self.check(rep, rows, labels, self.path("labels.csv"))

    def test_field_names_from_config_and_malformed_lines(self):
        rows = self.rows(23, 1500)
        labels = make_labels(rows, 7)
        test_report.write_jsonl(self.path("log.jsonl"), rows)
        junk = {3: '{"rid": "r1", "y": 1, "when": "last tuesday"}', 10: '{"y": 1, "when": 1767225600000}',
                11: "not json at all", 50: '{"rid": "r2", "y": 1, "when": '}
        write_labels_jsonl(self.path("late.jsonl"), labels, names=("rid", "y", "when"), junk=junk)
        with open(self.path("config.json"), "w") as f:
            json.dump({"labels": {"path": self.path("late.jsonl"), "request_id": "rid", "label": "y",
                                  "ts": "when", "timestamp_unit": "ms"}}, f)
        rep = self.report(self.path("log.jsonl"), "--window", "1h", "--config", self.path("config.json"))
        self.check(rep, rows, labels, self.path("late.jsonl"))
        self.assertEqual(rep["labels"]["malformed"], len(junk))
        self.assertEqual([p["line"] for p in rep["labels"]["problems"]], sorted(junk))
        self.assertIn("bad timestamp", rep["labels"]["problems"][0]["error"])
        self.assertIn("missing request id", rep["labels"]["problems"][1]["error"])
        # The log's own problems are not mixed with the label file's.
        self.assertEqual(rep["source"]["malformed"], 0)

    def test_without_labels_there_is_no_section(self):
        rows = test_report.make_rows(24, 300)
        test_report.write_jsonl(self.path("log.jsonl"), rows)
        rep = self.report(self.path("log.jsonl"), "--window", "1h")
        self.assertNotIn("labels", rep)

    def test_errors_are_one_line_and_exit_2(self):
        rows = test_report.make_rows(25, 200)
        test_report.write_jsonl(self.path("log.jsonl"), rows)
        proc = run("report", self.path("log.jsonl"), "--labels", self.path("absent.jsonl"), "--out",
                   self.path("r.json"), check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("absent.jsonl", proc.stderr)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1)
        with open(self.path("noid.jsonl"), "w") as f:
            f.write('{"ts": 1767225600000, "prediction": 0.4}\n')
        write_labels_jsonl(self.path("labels.jsonl"), [("r1", 1.0, 1767225600000)])
        proc = run("report", self.path("noid.jsonl"), "--labels", self.path("labels.jsonl"), "--out",
                   self.path("r.json"), check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("request id", proc.stderr)
        self.assertFalse(os.path.exists(self.path("r.json")))

    def test_snapshot_takes_labels(self):
        rows = self.rows(26, 800)
        for r in rows:
            r["label"] = None  # the only labels are the late ones
        test_report.write_jsonl(self.path("log.jsonl"), rows)
        write_labels_jsonl(self.path("labels.jsonl"), make_labels(rows, 8))
        out = self.path("perf.png")
        run("snapshot", self.path("log.jsonl"), "--labels", self.path("labels.jsonl"), "--view", "performance",
            "--out", out, "--size", "800x500")
        with open(out, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    opts, rest = ap.parse_known_args()
    VIGIL = opts.vigil
    unittest.main(argv=[sys.argv[0], "-v", *rest])
