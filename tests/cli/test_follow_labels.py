"""End-to-end test of `vigil report LOG --follow --labels LABELS`: a real writer process
appends predictions and, separately, their labels (some before their prediction, most
after it, with duplicates, unknown ids, a malformed line, and a rename rotation of the
label file) while vigil follows both; the final report must equal a plain
`vigil report LOG --labels` over the same text: windows number for number and the
labels section count for count."""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

VIGIL = None
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z

WRITER = r'''
import os, sys, time
pred_path, label_path, T0, csv_header = sys.argv[1], sys.argv[2], int(sys.argv[3]), None
BLOCK, STEPS = 200, 25

def pred(i):
    rid = "null" if i % 97 == 5 else f'"r{i}"'
    return (f'{{"ts":{T0 + i * 20},"request_id":{rid},"model":"m","latency_ms":{3 + i % 17},'
            f'"prediction":{((i * 37) % 100) / 100}}}\n')

def labels(b):
    out = []
    for i in range(b * BLOCK, (b + 1) * BLOCK):
        if i % 7 == 0:
            continue
        ts = T0 + i * 20 + 30_000 + (i % 50) * 100
        out.append(f'{{"request_id":"r{i}","label":{1 if (i * 13) % 3 == 0 else 0},"ts":{ts}}}\n')
        if i % 23 == 0:
            out.append(f'{{"request_id":"r{i}","label":{0 if (i * 13) % 3 == 0 else 1},"ts":{ts + 5000}}}\n')
        if i % 100 == 0:
            out.append(f'{{"request_id":"u{i}","label":1,"ts":{ts}}}\n')
    return out

pf = os.open(pred_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
lf = os.open(label_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
whole = open(label_path + ".whole", "w")
def wl(text):
    os.write(lf, text.encode())
    whole.write(text)
for step in range(STEPS):
    os.write(pf, "".join(pred(i) for i in range(step * BLOCK, (step + 1) * BLOCK)).encode())
    # Block step+2 is labelled before its predictions exist, block step-3 after.
    for b in ([step + 2] if step % 5 == 0 and step + 2 < STEPS else []) + ([step - 3] if step >= 3 and (step - 3) % 5 != 2 else []):
        text = "".join(labels(b))
        cut = len(text) - 17
        wl(text[:cut]); time.sleep(0.01); wl(text[cut:])  # a line split across polls
    if step == 12:
        wl('{"request_id":"r5","label":1,"ts":\n')  # malformed
        os.rename(label_path, label_path + ".1")
        wl(labels(0)[0])  # written to the old file before the service reopens
        os.close(lf)
        lf = os.open(label_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    time.sleep(0.08)
for b in range(STEPS - 3, STEPS):
    if b % 5 != 2:
        wl("".join(labels(b)))
whole.close()
os.close(pf)
os.close(lf)
'''


def run(*args):
    proc = subprocess.run([VIGIL, *args], capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise AssertionError(f"vigil {' '.join(args)} -> {proc.returncode}\n{proc.stderr}")
    return proc


def finish(proc, timeout=120):
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    return proc.returncode, err


def comparable_labels(section):
    out = dict(section)
    out.pop("source")
    out["problems"] = [{k: v for k, v in p.items() if k != "path"} for p in section["problems"]]
    return out


class FollowLabelsTest(unittest.TestCase):
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

    def start(self, *args):
        proc = subprocess.Popen(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.procs.append(proc)
        return proc

    def test_follow_with_labels_equals_static_join(self):
        pred = os.path.join(self.dir, "pred.jsonl")
        labels = os.path.join(self.dir, "labels.jsonl")
        out = os.path.join(self.dir, "live.json")
        open(pred, "w").close()
        open(labels, "w").close()
        follow = self.start(VIGIL, "report", pred, "--follow", "--labels", labels, "--idle-exit", "2",
                            "--interval", "0.2", "--window", "1m", "--no-drift", "--out", out)
        writer = self.start(sys.executable, "-c", WRITER, pred, labels, str(T0))
        intermediate = []
        while follow.poll() is None:
            if os.path.exists(out):
                try:
                    with open(out) as f:
                        r = json.load(f)
                    intermediate.append((r["follow"]["final"], r["labels"]["predictions_labelled"]))
                except (json.JSONDecodeError, KeyError) as e:
                    intermediate.append(("invalid", str(e)))
            time.sleep(0.05)
        code, err = finish(writer)
        self.assertEqual(code, 0, err)
        code, err = finish(follow)
        self.assertEqual(code, 0, err)
        with open(out) as f:
            live = json.load(f)

        ref_out = os.path.join(self.dir, "ref.json")
        run("report", pred, "--labels", labels + ".whole", "--window", "1m", "--no-drift", "--out", ref_out)
        with open(ref_out) as f:
            ref = json.load(f)

        self.assertEqual(live["source"]["rows"], 25 * 200)
        self.assertEqual(live["windows"], ref["windows"])
        self.assertEqual(comparable_labels(live["labels"]), comparable_labels(ref["labels"]))
        self.assertEqual(live["labels"]["source"], labels)
        # Every kind of record happened and was counted.
        lab = live["labels"]
        self.assertGreater(lab["unmatched_labels"], 0)
        self.assertGreater(lab["duplicate_labels"], 0)
        self.assertEqual(lab["malformed"], 1)
        self.assertEqual(live["follow"]["labels"]["pending"], lab["unmatched_labels"])
        self.assertEqual(live["follow"]["labels"]["rotations"], {"rename": 1, "truncate": 0})
        self.assertFalse(live["follow"]["labels"]["partial_line_pending"])
        self.assertTrue(live["follow"]["final"])
        self.assertGreater(lab["delay_ms"]["p50"], 30_000)
        # Rewritten while following, never half-written, and labels arrived over time.
        self.assertNotIn("invalid", [s for s, _ in intermediate])
        counts = [n for final, n in intermediate if final is False]
        self.assertTrue(counts and min(counts) < lab["predictions_labelled"], intermediate[-5:])
        self.assertIn("predictions labelled", err)

    def test_sigint_writes_final_report_with_labels(self):
        pred = os.path.join(self.dir, "pred.jsonl")
        labels = os.path.join(self.dir, "labels.jsonl")
        out = os.path.join(self.dir, "live.json")
        with open(pred, "w") as f:
            for i in range(500):
                f.write(f'{{"ts":{T0 + i * 100},"request_id":"r{i}","prediction":0.5}}\n')
        with open(labels, "w") as f:
            f.write(f'{{"request_id":"r3","label":1,"ts":{T0 + 60_000}}}\n')
            f.write(f'{{"request_id":"x","label":0,"ts":{T0 + 60_000}}}\n')
            f.write(f'{{"request_id":"r4","label":0,"ts":{T0 + 60_000}')  # no newline yet
        follow = self.start(VIGIL, "report", pred, "--follow", "--labels", labels, "--interval", "0.2",
                            "--no-drift", "--out", out)
        deadline = time.time() + 30
        while not os.path.exists(out) and time.time() < deadline:
            time.sleep(0.05)
        self.assertTrue(os.path.exists(out))
        follow.send_signal(signal.SIGINT)
        code, err = finish(follow)
        self.assertEqual(code, 0, err)
        with open(out) as f:
            rep = json.load(f)
        self.assertTrue(rep["follow"]["final"])
        self.assertEqual(rep["labels"]["predictions_labelled"], 1)
        self.assertEqual(rep["labels"]["unmatched_labels"], 1)
        # The last line never got its newline: a malformed line with its number.
        self.assertEqual(rep["labels"]["malformed"], 1)
        self.assertEqual(rep["labels"]["problems"][0]["line"], 3)

    def test_missing_label_file_is_an_error(self):
        pred = os.path.join(self.dir, "pred.jsonl")
        with open(pred, "w") as f:
            f.write(f'{{"ts":{T0},"request_id":"r0","prediction":0.5}}\n')
        proc = subprocess.run([VIGIL, "report", pred, "--follow", "--labels", os.path.join(self.dir, "nope.jsonl"),
                               "--idle-exit", "1", "--out", os.path.join(self.dir, "o.json")],
                              capture_output=True, text=True, timeout=60)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("no such file", proc.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    opts, rest = ap.parse_known_args()
    VIGIL = opts.vigil
    unittest.main(argv=[sys.argv[0], *rest])
