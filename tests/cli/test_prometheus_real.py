"""Vigil against a real Prometheus (Debian's prometheus 2.42, promtool and
prometheus-node-exporter), all on loopback ports with temporary directories:

a. `vigil scrape` reads node_exporter's full output and the fixture model server
   (fixture_model_server.py) with no warning and every family present;
b. Prometheus is given exactly the samples Vigil scraped (converted to OpenMetrics with
   their timestamps and backfilled with `promtool tsdb create-blocks-from openmetrics`),
   and Vigil's counter rates (a counter reset included) and histogram quantiles equal
   Prometheus's rate() and histogram_quantile() over those samples;
c. `vigil query` (instant, range, scalar, string, NaN/Inf, labels, label values, series)
   writes exactly what the HTTP API returned, fetched here with urllib;
d. errors read as Prometheus reports them (bad_data, execution, the 11,000-point limit),
   unreachable and non-Prometheus URLs give one line, exit code 2;
and a bearer token given through the environment reaches no output.
Skipped, saying so, when /usr/bin/prometheus is not installed."""
import argparse
import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
VIGIL = None
PROMETHEUS = "/usr/bin/prometheus"
PROMTOOL = "/usr/bin/promtool"
NODE_EXPORTER = "/usr/bin/prometheus-node-exporter"
MISSING = [p for p in (PROMETHEUS, PROMTOOL, NODE_EXPORTER) if not os.path.exists(p)]
REL = 1e-9


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http_get(url, timeout=10):
    """(status, body) of a GET; error statuses are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_until(what, predicate, timeout=30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


def as_number(v):
    """A sample value as Vigil writes it (number or "NaN"/"+Inf"/"-Inf") or as the API
    writes it (always a string) -> float."""
    return float(v) if isinstance(v, str) else float(v)


def same_value(a, b, rel=0.0):
    a, b = as_number(a), as_number(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if rel == 0.0 or math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def ms(seconds):
    return round(seconds * 1000)


def api_time(t_ms):
    return f"{t_ms // 1000}.{t_ms % 1000:03d}"


def selector(name, labels, extra=None):
    items = dict(labels)
    items.update(extra or {})
    esc = lambda v: v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return name + "{" + ",".join(f'{k}="{esc(v)}"' for k, v in sorted(items.items())) + "}"


SAMPLE_RE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(\s+\S+)?$')
LABEL_RE = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?')


def parse_text(body):
    """Families (from # TYPE) and series keys of a text-format 0.0.4 body, parsed here."""
    families, series = set(), set()
    for line in body.splitlines():
        if line.startswith("# TYPE "):
            families.add(line.split()[2])
            continue
        if not line.strip() or line.startswith("#"):
            continue
        m = SAMPLE_RE.match(line)
        assert m, line
        labels = []
        if m.group(2):
            inner = m.group(2)[1:-1]
            pos = 0
            while pos < len(inner):
                lm = LABEL_RE.match(inner, pos)
                assert lm, line
                value = re.sub(r"\\(.)", lambda e: {"n": "\n"}.get(e.group(1), e.group(1)), lm.group(2))
                labels.append((lm.group(1), value))
                pos = lm.end()
        series.add((m.group(1), tuple(sorted(labels))))
    return families, series


def openmetrics_from_scrape(endpoint):
    """Vigil's scraped samples as OpenMetrics with explicit timestamps, for promtool.
    promtool turns "<seconds>" into milliseconds as int64(seconds * 1000) (truncating);
    a quarter millisecond more keeps that exact whether it truncates or rounds."""
    lines = []
    for s in sorted(endpoint["series"], key=lambda s: (s["name"], sorted(s["labels"].items()))):
        sel = selector(s["name"], s["labels"])
        for t, v in s["points"]:
            value = v if isinstance(v, str) else repr(float(v))
            lines.append(f"{sel} {value} {t // 1000}.{t % 1000:03d}25")
    return "\n".join(lines) + "\n# EOF\n"


class PrometheusStack:
    """node_exporter, the fixture model server and (after the backfill) Prometheus."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="vigil-prom-")
        self.procs = []

    def spawn(self, args, log_name, **kw):
        log = open(os.path.join(self.tmp, log_name), "w")
        p = subprocess.Popen(args, stdout=kw.pop("stdout", log), stderr=log, **kw)
        self.procs.append((p, log))
        return p

    def log_tail(self, name):
        try:
            with open(os.path.join(self.tmp, name)) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def stop(self):
        for p, _ in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
        for p, log in reversed(self.procs):
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            if p.stdout:
                p.stdout.close()
            log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


@unittest.skipIf(MISSING, f"not installed: {', '.join(MISSING)} (apt-get install prometheus "
                          "prometheus-node-exporter; scripts/setup-deps.sh does)")
class PrometheusRealTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        stack = cls.stack = PrometheusStack()
        cls.addClassCleanup(stack.stop)
        node_port = free_port()
        stack.spawn([NODE_EXPORTER, f"--web.listen-address=127.0.0.1:{node_port}"], "node_exporter.log")
        fixture = stack.spawn([sys.executable, os.path.join(HERE, "fixture_model_server.py"),
                               "--reset-after", "2.5", "--lifetime", "300"],
                              "fixture.log", stdout=subprocess.PIPE, text=True)
        cls.node_url = f"http://127.0.0.1:{node_port}/metrics"
        cls.fixture_url = f"http://127.0.0.1:{int(fixture.stdout.readline())}/metrics"
        wait_until("node_exporter", lambda: http_get(cls.node_url)[0] == 200)

        # a/b: Vigil scrapes both for 6 s; the fixture's ranker restarts 2.5 s in.
        scrape_out = os.path.join(stack.tmp, "scrape.json")
        proc = subprocess.run([VIGIL, "scrape", cls.node_url, cls.fixture_url, "--interval", "500ms",
                               "--duration", "6s", "--timeout", "2s", "--out", scrape_out],
                              capture_output=True, text=True, timeout=60)
        cls.scrape_proc = proc
        with open(scrape_out) as f:
            cls.scrape = json.load(f)
        cls.node_body = http_get(cls.node_url)[1].decode()
        cls.fixture_body = http_get(cls.fixture_url)[1].decode()

        # b: exactly Vigil's fixture samples into a fresh TSDB.
        data_dir = os.path.join(stack.tmp, "tsdb")
        om = os.path.join(stack.tmp, "vigil_samples.om")
        with open(om, "w") as f:
            f.write(openmetrics_from_scrape(cls.scrape["endpoints"][1]))
        backfill = subprocess.run([PROMTOOL, "tsdb", "create-blocks-from", "openmetrics", om, data_dir],
                                  capture_output=True, text=True, timeout=60)
        if backfill.returncode != 0:
            raise RuntimeError("promtool backfill failed: " + backfill.stderr + backfill.stdout)

        # c/d: Prometheus on that TSDB also scrapes both exporters live, every second.
        prom_port = free_port()
        config = os.path.join(stack.tmp, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
                    f"  - job_name: node\n    static_configs:\n      - targets: ['127.0.0.1:{node_port}']\n"
                    "  - job_name: fixture\n    static_configs:\n"
                    f"      - targets: ['{cls.fixture_url.split('/')[2]}']\n")
        stack.spawn([PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={data_dir}",
                     f"--web.listen-address=127.0.0.1:{prom_port}"], "prometheus.log")
        cls.prom = f"http://127.0.0.1:{prom_port}"
        try:
            wait_until("Prometheus ready", lambda: http_get(cls.prom + "/-/ready")[0] == 200)
            # Three live scrapes of each job, so that range queries have points.
            wait_until("live scrapes", lambda: len(cls.api("/api/v1/query", query="count_over_time(up[1m]) >= 3")
                                                   ["data"]["result"]) == 2)
        except RuntimeError:
            raise RuntimeError("Prometheus did not come up:\n" + stack.log_tail("prometheus.log"))

    @classmethod
    def api(cls, path, **params):
        pairs = []
        for k, v in params.items():
            for item in (v if isinstance(v, list) else [v]):
                pairs.append(("match[]" if k == "match" else k, item))
        status, body = http_get(cls.prom + path + "?" + urllib.parse.urlencode(pairs))
        doc = json.loads(body)
        doc["_http_status"] = status
        return doc

    def query_value(self, promql, t_ms):
        """The single value of an instant query (None when the result is empty)."""
        doc = self.api("/api/v1/query", query=promql, time=api_time(t_ms))
        self.assertEqual(doc["status"], "success", doc)
        result = doc["data"]["result"]
        self.assertLessEqual(len(result), 1, promql)
        if not result:
            return None
        self.assertEqual(ms(result[0]["value"][0]), t_ms)
        return result[0]["value"][1]

    def vigil_query(self, *args, env=None):
        out = os.path.join(self.stack.tmp, "query.json")
        if os.path.exists(out):
            os.remove(out)
        proc = subprocess.run([VIGIL, "query", *args, "--out", out], capture_output=True, text=True,
                              timeout=60, env=env)
        data = None
        if os.path.exists(out):
            with open(out) as f:
                data = json.load(f)
        return proc, data

    # a ---------------------------------------------------------------------------------
    def test_a_scrape_reads_every_family(self):
        self.assertEqual(self.scrape_proc.returncode, 0, self.scrape_proc.stderr)
        self.assertEqual(self.scrape_proc.stderr, "")
        for endpoint, body in zip(self.scrape["endpoints"], (self.node_body, self.fixture_body)):
            with self.subTest(endpoint=endpoint["url"]):
                self.assertTrue(endpoint["up"])
                self.assertEqual(endpoint["failures"], 0)
                self.assertEqual(endpoint["warnings"], [])
                self.assertGreaterEqual(len(endpoint["scrape_times_ms"]), 10)
                families, series = parse_text(body)
                vigil_families = {s["family"] for s in endpoint["series"]}
                vigil_series = {(s["name"], tuple(sorted(s["labels"].items()))) for s in endpoint["series"]}
                # Every family with samples, every series of a body fetched right after.
                families_with_samples = {f for f in families
                                         if any(n == f or n.startswith(f + "_") for n, _ in series)}
                self.assertEqual(families_with_samples - vigil_families, set())
                self.assertEqual(series - vigil_series, set())
        node_series = len(parse_text(self.node_body)[1])
        self.assertGreater(node_series, 300, "node_exporter's full output was expected")

    # b ---------------------------------------------------------------------------------
    def fixture_endpoint(self):
        return self.scrape["endpoints"][1]

    def test_b_prometheus_holds_exactly_vigils_samples(self):
        ep = self.fixture_endpoint()
        end = ep["scrape_times_ms"][-1]
        checked = 0
        for s in ep["series"]:
            doc = self.api("/api/v1/query", query=selector(s["name"], s["labels"], {"job": ""}) + "[1h]",
                           time=api_time(end))
            result = doc["data"]["result"]
            self.assertEqual(len(result), 1, s)
            got = [[ms(t), v] for t, v in result[0]["values"]]
            self.assertEqual([p[0] for p in got], [p[0] for p in s["points"]], s["name"])
            for (_, a), (_, b) in zip(got, s["points"]):
                self.assertTrue(same_value(a, b), (s["name"], a, b))
            checked += 1
        self.assertGreater(checked, 30)

    def test_b_rates_equal_prometheus_rate(self):
        ep = self.fixture_endpoint()
        by_key = {(s["name"], tuple(sorted(s["labels"].items()))): s for s in ep["series"]}
        resets = 0
        compared = 0
        self.assertEqual(len(ep["rates"]), 6)
        for r in ep["rates"]:
            s = by_key[(r["name"], tuple(sorted(r["labels"].items())))]
            pts = s["points"]
            resets += sum(1 for a, b in zip(pts, pts[1:]) if as_number(b[1]) < as_number(a[1]))
            sel = selector(r["name"], r["labels"], {"job": ""})
            # Over the whole run: the range spans exactly the first and last sample.
            first, last = pts[0][0], pts[-1][0]
            prom = self.query_value(f"rate({sel}[{last - first}ms])", last)
            self.assertTrue(same_value(r["rate"], prom, REL), (sel, r["rate"], prom))
            # Per scrape interval, stamped with the interval's end.
            self.assertEqual(len(r["points"]), len(pts) - 1)
            for (t0, _), (t1, v) in zip(pts, r["points"]):
                prom = self.query_value(f"rate({sel}[{t1 - t0}ms])", t1)
                self.assertTrue(same_value(v, prom, REL), (sel, t1, v, prom))
                compared += 1
        self.assertGreaterEqual(resets, 3, "the ranker's counter reset should be among the samples")
        self.assertGreater(compared, 50)

    def test_b_quantiles_equal_histogram_quantile(self):
        ep = self.fixture_endpoint()
        self.assertEqual(len(ep["quantiles"]), 2)
        compared = nans = 0
        for h in ep["quantiles"]:
            sel = selector(h["family"] + "_bucket", h["labels"], {"job": ""})
            for p in h["points"]:
                for q, key in ((0.5, "p50"), (0.9, "p90"), (0.99, "p99")):
                    prom = self.query_value(f"histogram_quantile({q}, {sel})", p["t"])
                    self.assertIsNotNone(prom)
                    self.assertTrue(same_value(p[key], prom, REL), (sel, q, p["t"], p[key], prom))
                    compared += 1
                    nans += isinstance(p[key], str)
        self.assertGreater(compared, 50)

    # c ---------------------------------------------------------------------------------
    def assert_same_result(self, vigil, api):
        self.assertEqual(api["status"], "success", api)
        self.assertEqual(vigil["status"], "success")
        self.assertEqual(vigil["warnings"], api.get("warnings", []))
        data = api["data"]
        if isinstance(data, list):
            if data and isinstance(data[0], dict):
                self.assertEqual([s["metric"] for s in vigil["series"]], data)
            else:
                self.assertEqual(vigil["values"], data)
            return
        rtype = data["resultType"]
        self.assertEqual(vigil["result_type"], rtype)
        if rtype == "scalar":
            self.assertEqual(vigil["scalar"][0], ms(data["result"][0]))
            self.assertTrue(same_value(vigil["scalar"][1], data["result"][1]))
            self.assertEqual(isinstance(vigil["scalar"][1], str), data["result"][1] in ("NaN", "+Inf", "-Inf"))
            return
        if rtype == "string":
            self.assertEqual(vigil["string"], [ms(data["result"][0]), data["result"][1]])
            return
        self.assertEqual(len(vigil["series"]), len(data["result"]))
        for mine, theirs in zip(vigil["series"], data["result"]):
            self.assertEqual(mine["metric"], theirs["metric"])
            values = theirs["values"] if rtype == "matrix" else [theirs["value"]]
            self.assertEqual([p[0] for p in mine["points"]], [ms(t) for t, _ in values])
            for (_, a), (_, b) in zip(mine["points"], values):
                self.assertTrue(same_value(a, b), (mine["metric"], a, b))
                self.assertEqual(isinstance(a, str), b in ("NaN", "+Inf", "-Inf"))

    def test_c_instant_queries(self):
        t = ms(time.time()) - 1000
        for promql in ["model_requests_total", "model_last_batch_auc", "scalar(sum(DCGM_FI_DEV_GPU_UTIL))",
                       '"a string"', "1/0", "-1/0", "0/0", 'DCGM_FI_DEV_POWER_USAGE{job="fixture"} * 1.1',
                       'node_cpu_seconds_total{mode="idle"}', "up"]:
            with self.subTest(promql=promql):
                proc, mine = self.vigil_query("--prometheus", self.prom, "--query", promql, "--time", str(t))
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertEqual(proc.stderr, "")
                api = self.api("/api/v1/query", query=promql, time=api_time(t))
                self.assert_same_result(mine, api)
                self.assertEqual(mine["request"]["kind"], "query")
                self.assertEqual(mine["request"]["time_ms"], t)
                if promql == "model_last_batch_auc":
                    self.assertIn("NaN", [p[1] for s in mine["series"] for p in s["points"]])

    def test_c_range_queries(self):
        end = ms(time.time()) - 500
        cases = [
            ("rate(model_requests_total[3s])", ["--step", "1s"], 1000),
            ("histogram_quantile(0.9, rate(model_request_duration_seconds_bucket[3s]))", ["--step", "500ms"], 500),
            ("DCGM_FI_DEV_GPU_TEMP", ["--width", "5"], 5000),  # 20 s over 5 px: 5 s steps, 5 points
        ]
        iso_end = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(end // 1000)) + f".{end % 1000:03d}Z"
        for promql, extra, step in cases:
            with self.subTest(promql=promql):
                proc, mine = self.vigil_query("--prometheus", self.prom, "--query", promql,
                                              "--start", str(end - 20000), "--end", iso_end, *extra)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertEqual(mine["request"]["step_ms"], step)
                self.assertEqual(mine["request"]["start_ms"], end - 20000)
                self.assertEqual(mine["request"]["end_ms"], end)
                api = self.api("/api/v1/query_range", query=promql, start=api_time(end - 20000),
                               end=api_time(end), step=api_time(step))
                self.assertEqual(api["data"]["resultType"], "matrix")
                self.assertGreater(sum(len(s["values"]) for s in api["data"]["result"]), 3)
                self.assert_same_result(mine, api)

    def test_c_labels_and_series(self):
        end = ms(time.time())
        cases = [
            (["--labels"], "/api/v1/labels", {}),
            (["--label-values", "job"], "/api/v1/label/job/values", {}),
            (["--label-values", "__name__", "--match", '{job="fixture"}'], "/api/v1/label/__name__/values",
             {"match": ['{job="fixture"}']}),
            (["--series", 'model_requests_total{model="fraud"}', "--series", "DCGM_FI_DEV_GPU_TEMP",
              "--start", str(end - 3600_000), "--end", str(end)], "/api/v1/series",
             {"match": ['model_requests_total{model="fraud"}', "DCGM_FI_DEV_GPU_TEMP"],
              "start": api_time(end - 3600_000), "end": api_time(end)}),
        ]
        for args, path, params in cases:
            with self.subTest(args=args):
                proc, mine = self.vigil_query("--prometheus", self.prom + "/", *args)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                api = self.api(path, **params)
                self.assertGreater(len(api["data"]), 1)
                self.assert_same_result(mine, api)
                self.assertTrue(mine["request"]["url"].startswith(self.prom + path), mine["request"]["url"])

    def test_c_relative_and_epoch_times(self):
        before = ms(time.time())
        proc, mine = self.vigil_query("--prometheus", self.prom, "--query", "up", "--start", "now-1m",
                                      "--end", "now", "--step", "15s")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        req = mine["request"]
        self.assertEqual(req["end_ms"] - req["start_ms"], 60000)
        self.assertTrue(before <= req["end_ms"] <= ms(time.time()))
        self.assertEqual(len(mine["series"]), 2)
        proc, mine = self.vigil_query("--prometheus", self.prom, "--query", "up", "--time",
                                      f"{before // 1000}.25")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(mine["request"]["time_ms"], before // 1000 * 1000 + 250)
        self.assertIn("time=" + api_time(before // 1000 * 1000 + 250), mine["request"]["url"])

    # d ---------------------------------------------------------------------------------
    def assert_one_line_failure(self, proc, line):
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertEqual(proc.stderr, line + "\n")

    def test_d_errors_as_prometheus_reports_them(self):
        t = ms(time.time())
        for promql, etype in [("sum(rate(model_requests_total[5m])", "bad_data"),
                              ("model_requests_total / on(model) model_requests_total", "execution")]:
            with self.subTest(promql=promql):
                api = self.api("/api/v1/query", query=promql, time=api_time(t))
                self.assertEqual(api["errorType"], etype)
                self.assertEqual(api["_http_status"], {"bad_data": 400, "execution": 422}[etype])
                proc, mine = self.vigil_query("--prometheus", self.prom, "--query", promql, "--time", str(t))
                self.assert_one_line_failure(proc, f"vigil: {self.prom}: {etype}: {api['error']}")
                self.assertIsNone(mine)

    def test_d_point_limit_refused_like_prometheus(self):
        end = ms(time.time())
        start = end - 11001 * 1000  # 11,002 points at 1 s
        api = self.api("/api/v1/query_range", query="up", start=api_time(start), end=api_time(end), step="1")
        self.assertEqual(api["errorType"], "bad_data")
        proc, _ = self.vigil_query("--prometheus", self.prom, "--query", "up", "--start", str(start),
                                   "--end", str(end), "--step", "1s")
        self.assert_one_line_failure(proc, f"vigil: {self.prom}: bad_data: {api['error']}")
        # One step less is what Prometheus still answers (11,001 points), and so does Vigil.
        proc, mine = self.vigil_query("--prometheus", self.prom, "--query", "up", "--start",
                                      str(start + 1000), "--end", str(end), "--step", "1s")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(mine["result_type"], "matrix")

    def test_d_unreachable_and_not_prometheus(self):
        dead = f"http://127.0.0.1:{free_port()}"
        proc, _ = self.vigil_query("--prometheus", dead, "--query", "up")
        self.assert_one_line_failure(proc, f"vigil: {dead}: connection refused")
        node = self.node_url.rsplit("/", 1)[0]
        proc, _ = self.vigil_query("--prometheus", node, "--query", "up")
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stderr.count("\n"), 1, proc.stderr)
        self.assertTrue(proc.stderr.startswith(
            f"vigil: {node}: not a Prometheus API response (text/html; charset=utf-8): <html> <head><title>Node "
            "Exporter</title></head> <body>"), proc.stderr)
        proc, _ = self.vigil_query("--prometheus", self.prom, "--query", "up", "--start", "yesterday")
        self.assert_one_line_failure(
            proc, "vigil: query: bad --start 'yesterday' (ISO-8601, unix seconds or ms, now, now-1h)")

    def test_secret_reaches_no_output(self):
        secret = "tok-7Hq2vX-never-printed"
        env = dict(os.environ, VIGIL_TEST_BEARER=secret)
        dead = f"http://127.0.0.1:{free_port()}"
        outputs = []
        for base in (self.prom, dead):
            proc, mine = self.vigil_query("--prometheus", base, "--query", "up", "--bearer-env",
                                          "VIGIL_TEST_BEARER", env=env)
            outputs += [proc.stdout, proc.stderr, json.dumps(mine)]
        self.assertIsNotNone(json.loads(outputs[2]))
        proc, _ = self.vigil_query("--prometheus", f"http://vigil:{secret}@127.0.0.1:1", "--query", "up")
        self.assert_one_line_failure(
            proc, "vigil: http://***@127.0.0.1:1: credentials in the URL are not accepted; use --bearer-env "
                  "or --basic-env")
        outputs += [proc.stdout, proc.stderr]
        for text in outputs:
            self.assertNotIn(secret, text)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    args, rest = ap.parse_known_args()
    VIGIL = os.path.abspath(args.vigil)
    unittest.main(argv=[sys.argv[0], *rest])
