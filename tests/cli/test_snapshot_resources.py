"""End-to-end tests of `vigil snapshot --view resources`: against the project's loopback
exporter (scrape_exporter.py /resources: node_exporter, dcgm-exporter and model-server
names) and on a bare machine (the local /proc sampler only). Checks that each format is
a valid file of the requested size and that the SVG carries the expected chart titles,
legends and the endpoint health table."""
import argparse
import os
import socket
import struct
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
VIGIL = None


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", head[16:24])


def svg_texts(path):
    root = ET.parse(path).getroot()  # also proves the SVG is well-formed XML
    return " ".join(t.strip() for t in root.itertext() if t.strip())


class SnapshotResourcesTest(unittest.TestCase):
    def setUp(self):
        self.exporter = subprocess.Popen([sys.executable, os.path.join(HERE, "scrape_exporter.py"),
                                          "--lifetime", "120"], stdout=subprocess.PIPE, text=True)
        self.port = int(self.exporter.stdout.readline())
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.exporter.kill()
        self.exporter.wait()
        self.exporter.stdout.close()
        self.tmp.cleanup()

    def snapshot(self, name, *args):
        out = os.path.join(self.tmp.name, name)
        proc = subprocess.run([VIGIL, "snapshot", "--view", "resources", "--out", out, *args],
                              capture_output=True, text=True, timeout=120)
        return proc, out

    def test_endpoint_presets_in_every_format(self):
        url = f"http://127.0.0.1:{self.port}/resources"
        common = ["--scrape", url, "--duration", "1500ms", "--interval", "300ms"]
        proc, png = self.snapshot("res.png", *common)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(png_size(png), (1800, 1300))  # the resources view's default size
        proc, png = self.snapshot("small.png", *common, "--size", "1200x800")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(png_size(png), (1200, 800))

        proc, svg = self.snapshot("res.svg", *common)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        text = svg_texts(svg)
        for title in ["CPU by mode, idle left out (%)", "Memory used (GiB)", "Disk I/O (MiB/s)",
                      "Network (MiB/s)", "GPU utilization (%)", "GPU memory used (%)", "GPU power (W)",
                      "GPU temperature (°C)", "Request rate (req/s)", "Error rate (% of requests)",
                      "Latency p50 / p95 / p99 (ms)", "Endpoints", "Metric browser"]:
            self.assertIn(title, text)
        for legend in ["user", "system", "sda read", "eth0 tx", "p50", "p95", "p99"]:
            self.assertIn(legend, text)
        self.assertNotIn("idle ", text.replace("idle left out", ""))  # idle is not a line
        self.assertIn(url, text)  # the health table
        self.assertIn("up", text)
        self.assertIn("time (UTC)", text)

        proc, pdf = self.snapshot("res.pdf", *common)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(pdf, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"%PDF-"))
        self.assertIn(b"/Type /Page", data)

    def test_bare_machine_uses_the_local_sampler(self):
        proc, svg = self.snapshot("local.svg", "--duration", "1s", "--interval", "250ms")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        text = svg_texts(svg)
        for title in ["CPU by mode, idle left out (%)", "Memory used (GiB)", "Load average (1 min)",
                      "Process CPU (% of one core)", "Process memory, RSS (MiB)"]:
            self.assertIn(title, text)
        self.assertIn("this machine (local sampler)", text)
        self.assertNotIn("Request rate", text)

    def test_errors(self):
        dead = f"http://127.0.0.1:{closed_port()}/metrics"
        proc, out = self.snapshot("dead.png", "--scrape", dead, "--duration", "500ms", "--interval", "200ms")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no resource data: no endpoint answered", proc.stderr)
        self.assertIn("connection refused", proc.stderr)
        self.assertFalse(os.path.exists(out))
        proc, _ = self.snapshot("x.png", "--interval", "soon")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--interval must be a positive duration", proc.stderr)
        proc, _ = self.snapshot("x.bmp", "--duration", "300ms", "--interval", "100ms")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("use .png, .svg or .pdf", proc.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    args, rest = ap.parse_known_args()
    VIGIL = os.path.abspath(args.vigil)
    unittest.main(argv=[sys.argv[0], *rest])
