"""`vigil report --memory-budget` (docs/MEMORY.md): a log larger than the budget is spilled to
a temporary file and analysed in batches; the report equals the unlimited one except for its
"memory" object, the spill file leaves nothing behind, and the peak RSS stays bounded."""
import argparse
import gzip
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import unittest

VIGIL = None
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z
HOUR = 3_600_000


def run(*args, env=None, check=True):
    proc = subprocess.run([VIGIL, *args], capture_output=True, text=True, timeout=600, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"vigil {' '.join(args)} -> {proc.returncode}\n{proc.stderr}")
    return proc


def peak_rss_kb(*args):
    """Peak RSS of one vigil run, measured in a fresh python process so that earlier
    children do not count (RUSAGE_CHILDREN keeps the largest child seen)."""
    code = ("import resource, subprocess, sys\n"
            "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
            "sys.stderr.buffer.write(r.stderr)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if r.returncode == 0 else -1)\n")
    proc = subprocess.run([sys.executable, "-c", code, VIGIL, *args], capture_output=True, text=True,
                          timeout=600)
    value = int(proc.stdout.strip())
    if value < 0:
        raise AssertionError(f"vigil {' '.join(args)} failed:\n{proc.stderr}")
    return value


def write_log(path, rows, features, seed=3, unsorted=True):
    """Versions (one first seen late), NaN/Infinity/null values, a category first seen late,
    rows out of time order; labels for every third row in a separate file."""
    rng = random.Random(seed)
    labels = []
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "wt") as f:
        for i in range(rows):
            ts = T0 + i * 7 * 24 * HOUR // rows
            if unsorted and rng.random() < 0.1:
                ts += int((rng.random() - 0.5) * 6 * HOUR)
            late = i > rows * 2 // 3
            feats = {f"x{k}": round(rng.gauss(0.7 if late and k == 0 else 0.0, 1.0), 6) for k in range(features)}
            if i % 37 == 0:
                feats["x1"] = "NaN"
            if i % 41 == 0:
                feats["x2"] = None
            feats["plan"] = "gold" if late and i % 4 == 0 else ["free", "basic", "pro"][i % 3]
            rec = {"ts": ts, "request_id": f"r{i}", "model": "m",
                   "latency_ms": "Infinity" if i % 53 == 0 else round(rng.uniform(5, 90), 3),
                   "status": "error" if i % 13 == 0 else "ok", "features": feats,
                   "prediction": round(rng.random(), 6)}
            if i % 97 != 0:
                rec["version"] = "v3" if late and i % 3 == 0 else ("v2" if i > rows // 3 and i % 5 == 0 else "v1")
            f.write(json.dumps(rec) + "\n")
            if i % 3 == 0:
                labels.append({"request_id": f"r{i}", "label": int(rng.random() < rec["prediction"]),
                               "ts": ts + HOUR})
    return labels


def strip_memory(report):
    report = dict(report)
    memory = report.pop("memory")
    return report, memory


class BoundedReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        cls.log = os.path.join(cls.dir, "log.jsonl")
        labels = write_log(cls.log, 20_000, 6)
        cls.labels = os.path.join(cls.dir, "labels.jsonl")
        with open(cls.labels, "w") as f:
            for rec in labels:
                f.write(json.dumps(rec) + "\n")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def report(self, *args, env=None):
        out = os.path.join(self.dir, "r.json")
        run("report", *args, "--out", out, "--quiet", env=env)
        with open(out) as f:
            return json.load(f)

    def test_budget_gives_the_unlimited_report(self):
        for extra in ([], ["--labels", self.labels], ["--labels", self.labels, "--drift-max-rows", "40",
                                                      "--reference", f"{T0 + 1234}..{T0 + 30 * HOUR + 5}"]):
            with self.subTest(extra=extra):
                full, full_memory = strip_memory(self.report(self.log, "--memory-budget", "0", *extra))
                spill_dir = os.path.join(self.dir, "spill")
                os.makedirs(spill_dir, exist_ok=True)
                env = dict(os.environ, TMPDIR=spill_dir)
                bounded, memory = strip_memory(self.report(self.log, "--memory-budget", "96K", *extra, env=env))
                self.assertEqual(os.listdir(spill_dir), [], "the spill file must leave nothing behind")
                self.assertEqual(full_memory, {"budget_bytes": 0, "spilled_rows": 0, "spilled_bytes": 0,
                                               "spill_file_bytes": 0, "batches": 1})
                self.assertEqual(memory["budget_bytes"], 96 * 1024)
                self.assertEqual(memory["spilled_rows"], 20_000)
                self.assertGreater(memory["spilled_bytes"], 20 * 96 * 1024)
                # Repeated arrays (here the all-valid validity arrays) are stored as one value.
                self.assertGreater(memory["spill_file_bytes"], 0)
                self.assertLess(memory["spill_file_bytes"], memory["spilled_bytes"])
                self.assertGreater(memory["batches"], 5)
                self.assertTrue(all(w["exact"] is True for w in bounded["windows"]))
                self.assertEqual(len(bounded["by_version"]), 4)
                # json.dumps of both is compared: key order, floats (repr) and NaN included.
                self.assertEqual(json.dumps(full, sort_keys=True), json.dumps(bounded, sort_keys=True))

    def test_gzip_log_under_a_budget(self):
        gz = os.path.join(self.dir, "log.jsonl.gz")
        with open(self.log, "rb") as src, gzip.open(gz, "wb", compresslevel=1) as dst:
            dst.write(src.read())
        full, _ = strip_memory(self.report(self.log, "--memory-budget", "0"))
        bounded, memory = strip_memory(self.report(gz, "--memory-budget", "256K"))
        self.assertGreater(memory["batches"], 1)
        full["source"].pop("paths")
        full["source"].pop("bytes")
        bounded["source"].pop("paths")
        bounded["source"].pop("bytes")
        self.assertEqual(json.dumps(full, sort_keys=True), json.dumps(bounded, sort_keys=True))
        # The same gzip stream on standard input.
        out = os.path.join(self.dir, "stdin.json")
        with open(gz, "rb") as stdin:
            proc = subprocess.run([VIGIL, "report", "-", "--out", out, "--quiet", "--memory-budget", "256K"],
                                  stdin=stdin, capture_output=True, text=True, timeout=600)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out) as f:
            piped, memory = strip_memory(json.load(f))
        self.assertGreater(memory["batches"], 1)
        piped["source"].pop("paths")
        piped["source"].pop("bytes")
        self.assertEqual(json.dumps(full, sort_keys=True), json.dumps(piped, sort_keys=True))

    def test_fitting_log_is_not_spilled(self):
        _, memory = strip_memory(self.report(self.log))  # the default budget: 768 MiB
        self.assertEqual(memory, {"budget_bytes": 768 << 20, "spilled_rows": 0, "spilled_bytes": 0,
                                  "spill_file_bytes": 0, "batches": 1})

    def test_refusals(self):
        out = os.path.join(self.dir, "x.json")
        for args, message in ((["--memory-budget", "12Q"], "bad --memory-budget"),
                              (["--memory-budget", "64K", "--reference", "rolling:3"], "rolling:N needs"),
                              (["--memory-budget", "64K", "--save-reference", os.path.join(self.dir, "p.json")],
                               "--save-reference needs the whole log")):
            with self.subTest(args=args):
                proc = run("report", self.log, "--out", out, *args, check=False)
                self.assertNotEqual(proc.returncode, 0)
                self.assertIn(message, proc.stderr)

    def test_peak_rss_is_bounded(self):
        if "ASAN_OPTIONS" in os.environ:
            self.skipTest("under AddressSanitizer the RSS is its shadow memory and quarantine")
        big = os.path.join(self.dir, "big.jsonl")
        labels = write_log(big, 600_000, 10, unsorted=False)  # the table well above the fixed costs (Qt, threads)
        out = os.path.join(self.dir, "big.json")
        bounded_kb = peak_rss_kb("report", big, "--out", out, "--quiet", "--memory-budget", "8M")
        with open(out) as f:
            table_bytes = json.load(f)["memory"]["spilled_bytes"]
        full_kb = peak_rss_kb("report", big, "--out", out, "--quiet", "--memory-budget", "0")
        # The table alone is table_bytes; under an 8 MiB budget at least half of it is saved.
        self.assertGreater(table_bytes, 40 << 20)
        self.assertLess(bounded_kb * 1024, full_kb * 1024 - table_bytes // 2,
                        f"peak RSS {bounded_kb} KB with the budget, {full_kb} KB without, table {table_bytes} B")
        print(f"\nRSS bounded {bounded_kb} KB, full {full_kb} KB, table {table_bytes >> 20} MiB", file=sys.stderr)

        # Late labels for every third row (200k records) and one label file line per labelled row:
        # the join's state (~100-200 bytes an id, ~60-120 MB here) is partitioned to fit the budget,
        # so the labelled report stays near the unlabelled one (it held every id before: +60 MB).
        label_file = os.path.join(self.dir, "big_labels.jsonl")
        with open(label_file, "w") as f:
            for rec in labels:
                f.write(json.dumps(rec) + "\n")
        labelled_kb = peak_rss_kb("report", big, "--out", out, "--quiet", "--memory-budget", "8M",
                                  "--labels", label_file)
        with open(out) as f:
            report = json.load(f)
        self.assertEqual(report["labels"]["labels_read"], len(labels))
        self.assertEqual(report["labels"]["predictions_labelled"], len(labels))
        self.assertLess(labelled_kb, bounded_kb + 25 * 1024,
                        f"peak RSS {labelled_kb} KB with --labels, {bounded_kb} KB without")
        print(f"RSS bounded with labels {labelled_kb} KB", file=sys.stderr)
        os.remove(big)
        os.remove(label_file)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--vigil", required=True)
    args, rest = parser.parse_known_args()
    VIGIL = args.vigil
    unittest.main(argv=[sys.argv[0], *rest])
