"""End-to-end tests of `vigil scrape` against the project's own exporter
(scrape_exporter.py on 127.0.0.1): health per endpoint, raw series, counter rates and
histogram quantiles recomputed here in Python, exit codes, secrets kept out of output."""
import argparse
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
VIGIL = None


def bucket_quantile(q, buckets):
    """Prometheus' classic histogram_quantile (linear interpolation inside the bucket),
    written independently of Vigil's C++ for a well-formed histogram."""
    buckets = sorted(buckets)
    total = buckets[-1][1]
    rank = q * total
    prev_bound, prev_count = 0.0, 0.0
    for bound, count in buckets:
        if count >= rank:
            if math.isinf(bound):
                return prev_bound
            return prev_bound + (bound - prev_bound) * (rank - prev_count) / (count - prev_count)
        prev_bound, prev_count = bound, count
    return float("nan")


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class ScrapeTest(unittest.TestCase):
    def setUp(self):
        self.exporter = subprocess.Popen([sys.executable, os.path.join(HERE, "scrape_exporter.py"),
                                          "--lifetime", "60"], stdout=subprocess.PIPE, text=True)
        self.port = int(self.exporter.stdout.readline())
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.exporter.kill()
        self.exporter.wait()
        self.exporter.stdout.close()
        self.tmp.cleanup()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def scrape(self, *urls, extra=(), env=None):
        out = os.path.join(self.tmp.name, "scrape.json")
        proc = subprocess.run([VIGIL, "scrape", *urls, "--interval", "300ms", "--duration", "800ms",
                               "--timeout", "1s", "--out", out, *extra],
                              capture_output=True, text=True, timeout=60, env=env)
        data = None
        if os.path.exists(out):
            with open(out) as f:
                data = json.load(f)
        return proc, data

    def test_healthy_and_broken_endpoints(self):
        refused = f"http://127.0.0.1:{closed_port()}/metrics"
        proc, data = self.scrape(self.url("/metrics"), self.url("/gzip"), self.url("/500"),
                                 self.url("/html"), refused)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        self.assertEqual(len(lines), 3, proc.stderr)
        self.assertIn(f"vigil: {self.url('/500')}: HTTP 500 Internal Server Error (3 of 3 scrapes failed)", lines)
        self.assertIn(f"vigil: {refused}: connection refused (3 of 3 scrapes failed)", lines)
        self.assertTrue(any(l.startswith(f"vigil: {self.url('/html')}: not a metrics exposition: line 1: ")
                            for l in lines), lines)

        eps = data["endpoints"]
        self.assertEqual([e["up"] for e in eps], [True, True, False, False, False])
        self.assertEqual(eps[2]["last_error"], "HTTP 500 Internal Server Error")
        self.assertEqual(eps[2]["consecutive_failures"], 3)
        for ep in eps[:2]:
            self.assertIsNone(ep["last_error"])
            self.assertEqual(ep["scrapes"], 3)
            times = ep["scrape_times_ms"]
            self.assertEqual(len(times), 3)
            series = {(s["name"], tuple(sorted(s["labels"].items()))): s for s in ep["series"]}
            ok = series[("model_requests_total", (("model", "fraud"), ("status", "ok")))]
            self.assertEqual(ok["type"], "counter")
            self.assertEqual([p[1] for p in ok["points"]], [100, 200, 300])
            self.assertEqual([p[0] for p in ok["points"]], times)
            gpu = series[("DCGM_FI_DEV_GPU_UTIL", (("gpu", "0"), ("modelName", "NVIDIA H100")))]
            self.assertEqual([p[1] for p in gpu["points"]], [7, 14, 21])

            rates = {(r["name"], tuple(sorted(r["labels"].items()))): r for r in ep["rates"]}
            self.assertEqual(len(rates), 2)  # the two model_requests_total series
            for key, r in rates.items():
                pts = series[key]["points"]
                whole = (pts[-1][1] - pts[0][1]) / ((pts[-1][0] - pts[0][0]) / 1000.0)
                self.assertTrue(math.isclose(r["rate"], whole, rel_tol=1e-12), (r["rate"], whole))
                per = [(b[0], (b[1] - a[1]) / ((b[0] - a[0]) / 1000.0)) for a, b in zip(pts, pts[1:])]
                self.assertEqual(len(r["points"]), len(per))
                for got, want in zip(r["points"], per):
                    self.assertEqual(got[0], want[0])
                    self.assertTrue(math.isclose(got[1], want[1], rel_tol=1e-12))

            self.assertEqual(len(ep["quantiles"]), 1)
            qh = ep["quantiles"][0]
            self.assertEqual(qh["family"], "model_request_latency_seconds")
            self.assertEqual(qh["labels"], {"model": "fraud"})
            self.assertEqual([p["t"] for p in qh["points"]], times)
            bucket_series = [s for s in ep["series"] if s["name"] == "model_request_latency_seconds_bucket"]
            for i, p in enumerate(qh["points"]):
                buckets = [(float(s["labels"]["le"]), s["points"][i][1]) for s in bucket_series]
                for q, name in ((0.5, "p50"), (0.9, "p90"), (0.99, "p99")):
                    self.assertTrue(math.isclose(p[name], bucket_quantile(q, buckets), rel_tol=1e-12),
                                    (name, p[name], bucket_quantile(q, buckets)))

    def test_nothing_readable_exits_2(self):
        proc, data = self.scrape(self.url("/401"), f"http://127.0.0.1:{closed_port()}/metrics")
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 2, proc.stderr)
        self.assertIn("HTTP 401 Unauthorized", proc.stderr)
        self.assertEqual([e["up"] for e in data["endpoints"]], [False, False])

    def test_bearer_secret_from_environment_only(self):
        env = dict(os.environ, VIGIL_SCRAPE_TEST_TOKEN="s3cret-token")
        proc, data = self.scrape(self.url("/auth"), extra=("--bearer-env", "VIGIL_SCRAPE_TEST_TOKEN"), env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(data["endpoints"][0]["up"])
        env["VIGIL_SCRAPE_TEST_TOKEN"] = "wrong-but-secret-value"
        proc, data = self.scrape(self.url("/auth"), extra=("--bearer-env", "VIGIL_SCRAPE_TEST_TOKEN"), env=env)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("HTTP 401 Unauthorized", proc.stderr)
        with open(os.path.join(self.tmp.name, "scrape.json")) as f:
            written = f.read()
        for text in (proc.stderr, proc.stdout, written):
            self.assertNotIn("wrong-but-secret-value", text)
        del env["VIGIL_SCRAPE_TEST_TOKEN"]
        proc, _ = self.scrape(self.url("/auth"), extra=("--bearer-env", "VIGIL_SCRAPE_TEST_TOKEN"), env=env)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("environment variable VIGIL_SCRAPE_TEST_TOKEN is not set", proc.stderr)

    def test_tls_needs_the_ca(self):
        openssl = shutil.which("openssl")
        if not openssl:
            self.skipTest("the openssl CLI is not installed; cannot make a self-signed certificate")
        cert, key = (os.path.join(self.tmp.name, n) for n in ("cert.pem", "key.pem"))
        subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=30)
        tls = subprocess.Popen([sys.executable, os.path.join(HERE, "scrape_exporter.py"), "--lifetime", "60",
                                "--cert", cert, "--key", key], stdout=subprocess.PIPE, text=True)
        try:
            url = f"https://127.0.0.1:{int(tls.stdout.readline())}/metrics"
            proc, _ = self.scrape(url)
            self.assertEqual(proc.returncode, 2)
            self.assertIn(f"vigil: {url}: certificate verify failed", proc.stderr)
            proc, data = self.scrape(url, extra=("--ca", cert))
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertTrue(data["endpoints"][0]["up"])
        finally:
            tls.kill()
            tls.wait()
            tls.stdout.close()

    def test_usage_errors(self):
        proc = subprocess.run([VIGIL, "scrape", self.url("/metrics")], capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--out FILE.json is required", proc.stderr)
        proc = subprocess.run([VIGIL, "scrape", self.url("/metrics"), "--interval", "soon", "--out", "-"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--interval must be a positive duration", proc.stderr)
        proc = subprocess.run([VIGIL, "scrape", self.url("/metrics"), "--basic-env", "X", "--out", "-"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--basic-env and --basic-user go together", proc.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    args, rest = ap.parse_known_args()
    VIGIL = os.path.abspath(args.vigil)
    unittest.main(argv=[sys.argv[0], *rest])
