"""`vigil report -` reads the log from standard input (`zcat app.log.gz | vigil report -`):
plain, gzip and zstd text, and more than the 16 MiB that are kept for sniffing and
sampling, give the same report as the file itself."""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import unittest

VIGIL = None
T0 = 1_767_225_600_000


def log_text(rows, pad=0):
    lines = []
    for i in range(rows):
        lines.append(json.dumps({
            "ts": T0 + i * 1000, "request_id": f"r{i}", "model": "m", "version": f"v{i // (rows // 3 + 1)}",
            "latency_ms": 5 + (i * 7919) % 113, "prediction": ((i * 37) % 100) / 100, "label": (i * 13) % 2,
            "features": {"amount": (i * 7) % 1000 / 10, "country": ["DE", "FR", "US"][i % 3]},
            "note": "x" * pad}) + "\n")
    return "".join(lines).encode()


class StdinTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def report(self, args, stdin=None):
        out = os.path.join(self.tmp.name, "r.json")
        proc = subprocess.run([VIGIL, "report", *args, "--out", out], input=stdin, capture_output=True,
                              timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())
        with open(out) as f:
            return json.load(f)

    def check_same(self, text, piped):
        path = os.path.join(self.tmp.name, "log.jsonl")
        with open(path, "wb") as f:
            f.write(text)
        from_file = self.report([path])
        from_pipe = self.report(["-"], stdin=piped)
        self.assertEqual(from_pipe["source"]["paths"], ["-"])
        self.assertEqual(from_pipe["source"]["bytes"], len(piped))
        for report in (from_file, from_pipe):
            report["source"].pop("paths")
            report["source"].pop("bytes")
        self.assertEqual(from_file, from_pipe)
        self.assertEqual(from_pipe["source"]["rows"], text.count(b"\n"))

    def test_plain(self):
        text = log_text(3000)
        self.check_same(text, text)

    def test_gzip(self):
        text = log_text(3000)
        self.check_same(text, gzip.compress(text, 1))

    def test_zstd_when_the_tool_exists(self):
        text = log_text(2000)
        try:
            packed = subprocess.run(["zstd", "-q", "-c"], input=text, capture_output=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            self.skipTest("no zstd tool")
        self.check_same(text, packed)

    def test_longer_than_the_replayed_prefix(self):
        # ~24 MiB: the sniff and the schema sample replay the first 16 MiB, the read streams on.
        text = log_text(60000, pad=250)
        self.assertGreater(len(text), 20 << 20)
        self.check_same(text, text)

    def test_empty_input_fails(self):
        proc = subprocess.run([VIGIL, "report", "-", "--out", os.path.join(self.tmp.name, "r.json")],
                              input=b"", capture_output=True, timeout=60)
        self.assertEqual(proc.returncode, 2)
        self.assertIn(b"-: empty file", proc.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    opts, rest = ap.parse_known_args()
    VIGIL = opts.vigil
    unittest.main(argv=[sys.argv[0], "-v", *rest])
