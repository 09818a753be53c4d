"""`vigil report` with VIGIL_TIMINGS=1: the phase timeline on stderr (docs/PERFORMANCE.md,
"Report with drift: serial phases"). A real log, the real binary: the timeline names every
phase in order, its numbers add up, and it changes nothing in the report."""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import unittest

VIGIL = None
HOUR = 3_600_000
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z

PHASE = re.compile(r"^vigil: timing (.+?)\s+at\s+([0-9.]+) s:\s+([0-9.]+) s wall\s+([0-9.]+) s cpu \(([0-9.]+) cores\)$")
FIRST = re.compile(r"^vigil: timing (.+?)\s+at\s+([0-9.]+) s:\s+([0-9.]+) s cpu since start$")
GROUP = re.compile(r"^vigil: timing   drift pool (.+?)\s+(\d+) tasks\s+([0-9.]+) s \(longest ([0-9.]+) s\)$")
THREAD = re.compile(r"^vigil: timing   drift pool thread (\d+) busy ([0-9.]+) s, last task ended at ([0-9.]+) s$")


def write_log(path, rows=4000, hours=40, seed=7):
    rng = random.Random(seed)
    with open(path, "w") as f:
        for i in range(rows):
            ts = T0 + i * hours * HOUR // rows
            drifted = ts > T0 + 30 * HOUR
            x = rng.gauss(1.0 if drifted else 0.0, 1.0)
            score = min(1.0, max(0.0, rng.random() * 0.6 + (0.3 if x > 0 else 0.0)))
            f.write(json.dumps({
                "ts": ts, "model": "m", "version": "1" if i % 3 else "2", "latency_ms": rng.uniform(5, 50),
                "status": "ok", "prediction": score, "label": int(rng.random() < score),
                "features": {"x": x, "y": rng.random(), "c": rng.choice(["a", "b", "c"])},
            }) + "\n")


def run(args, timings):
    env = dict(os.environ)
    env.pop("VIGIL_TIMINGS", None)
    if timings is not None:
        env["VIGIL_TIMINGS"] = timings
    proc = subprocess.run([VIGIL, *args], capture_output=True, text=True, timeout=300, env=env)
    if proc.returncode != 0:
        raise AssertionError(f"vigil {' '.join(args)} -> {proc.returncode}\n{proc.stderr}")
    return proc.stderr.splitlines()


class ReportTimings(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.log = os.path.join(cls.tmp.name, "log.jsonl")
        write_log(cls.log)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def report(self, name, timings, *extra):
        out = os.path.join(self.tmp.name, name)
        lines = run(["report", self.log, "--out", out, *extra], timings)
        with open(out, "rb") as f:
            return f.read(), lines

    def test_off_unless_set(self):
        for value in (None, "", "0"):
            with self.subTest(value=value):
                _, lines = self.report("off.json", value)
                self.assertFalse([l for l in lines if "timing" in l], lines)

    def test_timeline_with_drift(self):
        plain, _ = self.report("plain.json", None)
        timed, lines = self.report("timed.json", "1")
        self.assertEqual(plain, timed, "the timeline changed the report")

        first = [FIRST.match(l) for l in lines if FIRST.match(l)]
        self.assertEqual(len(first), 1, lines)
        phases = [PHASE.match(l) for l in lines if PHASE.match(l)]
        names = [m.group(1) for m in phases]
        expected = ["report: load", "report: labels/reference", "analyze", "drift: enter",
                    "drift: reference + window rows", "drift: pool", "drift: decide", "drift: return",
                    "report: copy result", "report: format", "report: write", "report: summary"]
        self.assertEqual(names, expected, lines)
        # Each phase starts where the previous one ended: the walls add up to the last mark.
        total = sum(float(m.group(3)) for m in phases)
        last = float(phases[-1].group(2))
        self.assertAlmostEqual(total, last, delta=0.002 * len(phases))
        ats = [float(m.group(2)) for m in phases]
        self.assertEqual(ats, sorted(ats))
        for m in phases:
            self.assertGreaterEqual(float(m.group(4)), 0.0, m.group(0))

        groups = {m.group(1): m for m in (GROUP.match(l) for l in lines) if m}
        self.assertEqual(sorted(groups), sorted(["PCA fit", "concept drift", "CBPE", "features", "PCA windows"]))
        windows = len(json.loads(timed)["windows"])
        self.assertEqual(int(groups["PCA windows"].group(2)), windows)
        # x, y, c, prediction and label.
        self.assertEqual(int(groups["features"].group(2)), 5)
        for m in groups.values():
            self.assertLessEqual(float(m.group(4)), float(m.group(3)) + 1e-9, m.group(0))
        threads = [THREAD.match(l) for l in lines if THREAD.match(l)]
        self.assertGreaterEqual(len(threads), 1, lines)
        pool = next(m for m in phases if m.group(1) == "drift: pool")
        busy = sum(float(m.group(2)) for m in threads)
        tasks = sum(float(m.group(3)) for m in groups.values())
        # Every printed figure is rounded to the millisecond: up to 0.5 ms each, on both sides.
        self.assertAlmostEqual(busy, tasks, delta=0.0005 * (len(threads) + len(groups)) + 0.002)
        for m in threads:
            self.assertLessEqual(float(m.group(3)), float(pool.group(3)) + 0.002, m.group(0))

    def test_timeline_without_drift(self):
        _, lines = self.report("nodrift.json", "1", "--no-drift")
        names = [m.group(1) for m in (PHASE.match(l) for l in lines) if m]
        self.assertIn("analyze", names)
        self.assertIn("report: write", names)
        self.assertFalse([n for n in names if n.startswith("drift")], names)
        self.assertFalse([l for l in lines if GROUP.match(l)], lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--vigil", required=True)
    args, rest = parser.parse_known_args()
    VIGIL = args.vigil
    unittest.main(argv=[sys.argv[0], *rest])
