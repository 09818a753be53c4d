"""End-to-end tests of `vigil report --follow`: a real writer process appends to a
log (rotating it by rename-and-create and by copy-truncate) while vigil follows it;
the final report must count every line written exactly once, and its windows must
equal those of a plain `vigil report` over all the text written."""
import argparse
import gzip
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

VIGIL = None
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def line(seq):
    # A unique sequence number per line; 10 ms apart so a few thousand lines span minutes.
    return (f'{{"ts":{T0 + seq * 10},"model":"churn","latency_ms":{5 + seq % 97},'
            f'"prediction":{(seq % 100) / 100},"label":{seq % 2},"kpi":{{"revenue":{seq % 13}}}}}\n')


def shift_rotated(path):
    last = 0
    while os.path.exists(f"{path}.{last + 1}"):
        last += 1
    for k in range(last, 0, -1):
        os.rename(f"{path}.{k}", f"{path}.{k + 1}")


class Writer:
    """Appends like a logging process (O_APPEND), rotating the way logrotate does."""

    def __init__(self, path):
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.seq = 0
        self.renames = 0
        self.truncates = 0
        self.text = []  # every line written, for the reference report

    def write_lines(self, n, split_every=0):
        for _ in range(n):
            text = line(self.seq)
            self.text.append(text)
            if split_every and self.seq % split_every == 0:
                os.write(self.fd, text[:25].encode())
                time.sleep(0.001)
                os.write(self.fd, text[25:].encode())
            else:
                os.write(self.fd, text.encode())
            self.seq += 1

    def rotate_rename(self, late_lines=3):
        shift_rotated(self.path)
        os.rename(self.path, self.path + ".1")
        self.write_lines(late_lines)  # the application has not reopened yet
        os.close(self.fd)
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.renames += 1

    def rotate_copytruncate(self):
        shift_rotated(self.path)
        shutil.copyfile(self.path, self.path + ".1")
        os.truncate(self.path, 0)
        self.truncates += 1

    def close(self):
        os.close(self.fd)


def start_follow(log, out, *extra):
    return subprocess.Popen([VIGIL, "report", log, "--follow", "--out", out, "--no-drift", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc, timeout=120):
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    return proc.returncode, err


def windows_close(test, expected, actual):
    test.assertEqual(len(expected), len(actual), "window count")
    for i, (e, a) in enumerate(zip(expected, actual)):
        flat_e, flat_a = flatten(e), flatten(a)
        test.assertEqual(sorted(flat_e), sorted(flat_a), f"window {i}: fields")
        for key, ve in flat_e.items():
            va = flat_a[key]
            if isinstance(ve, float) and isinstance(va, (int, float)):
                # KPI sums are added in file order, which rotation changes.
                test.assertTrue(math.isclose(ve, va, rel_tol=1e-12, abs_tol=1e-9), f"window {i} {key}: {ve} vs {va}")
            else:
                test.assertEqual(ve, va, f"window {i} {key}")


def flatten(obj, prefix=""):
    out = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.update(flatten(v, f"{prefix}.{k}"))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.update(flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix] = obj
    return out


class FollowTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.communicate()
        self.tmp.cleanup()

    def assert_windows_of_plain_report(self, lines, report):
        whole = os.path.join(self.dir, "whole.jsonl")
        with open(whole, "w") as f:
            f.writelines(lines)
        ref_out = os.path.join(self.dir, "ref.json")
        subprocess.run([VIGIL, "report", whole, "--out", ref_out, "--no-drift", "--window", "1m"],
                       check=True, capture_output=True, timeout=300)
        with open(ref_out) as f:
            ref = json.load(f)
        windows_close(self, ref["windows"], report["windows"])

    def test_idle_exit_counts_every_line_across_rotations(self):
        log = os.path.join(self.dir, "app.log")
        out = os.path.join(self.dir, "live.json")
        w = Writer(log)
        w.write_lines(500)
        proc = start_follow(log, out, "--idle-exit", "2", "--interval", "0.2", "--window", "1m")
        self.procs.append(proc)
        seen_intermediate = []

        def watch():
            while proc.poll() is None:
                if os.path.exists(out):
                    try:
                        with open(out) as f:
                            seen_intermediate.append(json.load(f)["follow"]["final"])
                    except (json.JSONDecodeError, KeyError):
                        seen_intermediate.append("invalid")
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        # About 8,000 lines over ~3 s, three rotations of each kind between them.
        for r in range(6):
            for _ in range(20):
                w.write_lines(60, split_every=17)
                time.sleep(0.02)
            if r % 2 == 0:
                w.rotate_rename()
            else:
                w.rotate_copytruncate()
        w.write_lines(300)
        w.close()
        code, err = finish(proc)
        watcher.join()
        self.assertEqual(code, 0, err)
        with open(out) as f:
            report = json.load(f)
        self.assertEqual(report["source"]["rows"], w.seq, err)
        self.assertEqual(report["source"]["lines"], w.seq)
        self.assertEqual(report["source"]["malformed"], 0)
        self.assertEqual(report["follow"]["lines"], w.seq)
        self.assertEqual(report["follow"]["rotations"], {"rename": w.renames, "truncate": w.truncates})
        self.assertEqual(report["follow"]["unrecovered_truncations"], 0)
        self.assertFalse(report["follow"]["partial_line_pending"])
        self.assertTrue(report["follow"]["final"])
        self.assertEqual(report["follow"]["last_ts_ms"], T0 + (w.seq - 1) * 10)
        self.assertEqual(sum(win["rows"] for win in report["windows"]), w.seq)
        # The report was rewritten while following, and never seen half-written.
        self.assertIn(False, seen_intermediate)
        self.assertNotIn("invalid", seen_intermediate)
        # Every window equals the plain report over everything that was written.
        self.assert_windows_of_plain_report(w.text, report)

    def follow_rotated_folder(self, target):
        # Rotated history (gzip and plain) then the live file: read once, then followed.
        logs = os.path.join(self.dir, "logs")
        os.mkdir(logs)
        log = os.path.join(logs, "app.log")
        history = [line(seq) for seq in range(2000)]
        with gzip.open(log + ".2.gz", "wt") as f:
            f.writelines(history[:1000])
        with open(log + ".1", "w") as f:
            f.writelines(history[1000:])
        w = Writer(log)
        w.seq = 2000
        w.text = list(history)
        w.write_lines(300)
        out = os.path.join(self.dir, "live.json")
        proc = start_follow(target(logs), out, "--idle-exit", "2", "--interval", "0.2", "--window", "1m")
        self.procs.append(proc)
        for _ in range(10):
            w.write_lines(100)
            time.sleep(0.05)
        w.rotate_rename()  # app.log.1 -> app.log.2 and app.log -> app.log.1: nothing read twice
        w.write_lines(200)
        w.close()
        code, err = finish(proc)
        self.assertEqual(code, 0, err)
        with open(out) as f:
            report = json.load(f)
        self.assertEqual(report["source"]["rows"], w.seq, err)
        self.assertEqual(report["follow"]["rotations"], {"rename": 1, "truncate": 0})
        self.assert_windows_of_plain_report(w.text, report)

    def test_folder_reads_rotated_history_then_follows(self):
        self.follow_rotated_folder(lambda logs: logs)

    def test_glob_reads_rotated_history_then_follows(self):
        self.follow_rotated_folder(lambda logs: os.path.join(logs, "app.log*"))

    def test_sigterm_writes_final_report(self):
        log = os.path.join(self.dir, "app.jsonl")
        out = os.path.join(self.dir, "live.json")
        w = Writer(log)
        w.write_lines(1000)
        proc = start_follow(log, out, "--interval", "0.2")
        self.procs.append(proc)
        w.write_lines(2000, split_every=50)
        os.write(w.fd, line(w.seq)[:30].encode())  # a line the writer never finishes
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with open(out) as f:
                    if json.load(f)["source"]["rows"] == w.seq:
                        break
            except (OSError, json.JSONDecodeError):
                pass
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        code, err = finish(proc)
        w.close()
        self.assertEqual(code, 0, err)
        self.assertIn("stopped by a signal", err)
        with open(out) as f:
            report = json.load(f)
        self.assertTrue(report["follow"]["final"])
        self.assertEqual(report["source"]["rows"], w.seq)
        self.assertEqual(report["source"]["lines"], w.seq + 1)
        self.assertEqual(report["source"]["malformed"], 1)
        problems = report["problems"]
        self.assertEqual(len(problems), 1)
        self.assertEqual(problems[0]["path"], log)
        self.assertEqual(problems[0]["line"], w.seq + 1)
        self.assertTrue(problems[0]["error"].startswith("incomplete last line"), problems[0])

    def test_missing_log_fails(self):
        proc = subprocess.run([VIGIL, "report", os.path.join(self.dir, "none.jsonl"), "--follow", "--out",
                               os.path.join(self.dir, "r.json")], capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no such file", proc.stderr)

    def test_compressed_log_is_refused(self):
        gz = os.path.join(self.dir, "app.jsonl.gz")
        with open(gz, "wb") as f:
            f.write(b"\x1f\x8b")
        proc = subprocess.run([VIGIL, "report", gz, "--follow", "--idle-exit", "1", "--out",
                               os.path.join(self.dir, "r.json")], capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("compressed", proc.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    opts, rest = ap.parse_known_args()
    VIGIL = opts.vigil
    unittest.main(argv=[sys.argv[0], "-v", *rest])
