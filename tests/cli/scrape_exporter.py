#!/usr/bin/env python3
"""A small metrics exporter for Vigil's scraping tests: fixture metrics of a model server
(request counters, a latency histogram) and GPU gauges that change with every scrape,
plus fault endpoints. Listens on 127.0.0.1 only, on a free port it prints first.

Counters grow by a fixed step per scrape of the same path (n = 1, 2, ...), so a test
can recompute every value from the scrape count:
  model_requests_total{status="ok"} = 100 n, {status="error"} = 3 n,
  latency buckets le=0.05/0.1/0.25/0.5/+Inf = 10n/30n/45n/50n/50n, _sum = 6.5 n,
  DCGM_FI_DEV_GPU_UTIL = (7 n) % 100, DCGM_FI_DEV_FB_USED = 1000 + n.
Endpoints: /metrics, /gzip (same, gzip-encoded), /openmetrics (OpenMetrics 1.0:
model_predictions_total = 40 n, model_queue_depth = n % 5), /auth (needs "Bearer $SCRAPE_TOKEN"),
/basic (needs user "vigil", password $SCRAPE_PASSWORD),
/slow (sleeps 5 s), /trickle (one body byte per 100 ms), /huge (streams 65 MiB),
/html (text/html garbage), /401, /500, /flaky (500 once, then metrics), /last-accept,
/resources (node_exporter, dcgm-exporter and Triton names on top of /metrics, for the
Resources view: node_cpu_seconds_total{cpu="0"} user/system/idle = 3n/n/6n,
node_memory_MemAvailable_bytes = 8 GiB - n MiB of 16 GiB, DCGM_FI_DEV_FB_USED/FREE,
DCGM_FI_DEV_POWER_USAGE = 100 + n, DCGM_FI_DEV_GPU_TEMP = 40 + n % 10,
nv_inference_request_success/failure = 20n/n).
/api/v1/<anything>: a stand-in for the Prometheus API that echoes what it received:
a string result holding JSON {"path", "params" (decoded, repeated keys kept in order)};
a query "ERROR <type> <message>" answers Prometheus's error JSON with its HTTP status.
"""
import argparse
import base64
import gzip
import http.server
import json
import urllib.parse
import os
import ssl
import sys
import threading
import time

COUNTS = {}
LOCK = threading.Lock()
LAST_ACCEPT = [""]


def bump(path):
    with LOCK:
        COUNTS[path] = COUNTS.get(path, 0) + 1
        return COUNTS[path]


def metrics(n):
    b = [10 * n, 30 * n, 45 * n, 50 * n, 50 * n]
    lines = [
        "# HELP model_requests_total Requests served by the model server.",
        "# TYPE model_requests_total counter",
        f'model_requests_total{{model="fraud",status="ok"}} {100 * n}',
        f'model_requests_total{{model="fraud",status="error"}} {3 * n}',
        "# HELP model_request_latency_seconds Request latency.",
        "# TYPE model_request_latency_seconds histogram",
    ]
    for le, c in zip(["0.05", "0.1", "0.25", "0.5", "+Inf"], b):
        lines.append(f'model_request_latency_seconds_bucket{{model="fraud",le="{le}"}} {c}')
    lines += [
        f'model_request_latency_seconds_sum{{model="fraud"}} {6.5 * n}',
        f'model_request_latency_seconds_count{{model="fraud"}} {50 * n}',
        "# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).",
        "# TYPE DCGM_FI_DEV_GPU_UTIL gauge",
        f'DCGM_FI_DEV_GPU_UTIL{{gpu="0",modelName="NVIDIA H100"}} {(7 * n) % 100}',
        "# HELP DCGM_FI_DEV_FB_USED Framebuffer memory used (in MiB).",
        "# TYPE DCGM_FI_DEV_FB_USED gauge",
        f'DCGM_FI_DEV_FB_USED{{gpu="0",modelName="NVIDIA H100"}} {1000 + n}',
    ]
    return ("\n".join(lines) + "\n").encode()


def resources(n):
    gib, mib = 1024 ** 3, 1024 ** 2
    lines = [
        "# TYPE node_cpu_seconds_total counter",
        f'node_cpu_seconds_total{{cpu="0",mode="user"}} {3 * n}',
        f'node_cpu_seconds_total{{cpu="0",mode="system"}} {n}',
        f'node_cpu_seconds_total{{cpu="0",mode="idle"}} {6 * n}',
        "# TYPE node_memory_MemTotal_bytes gauge",
        f"node_memory_MemTotal_bytes {16 * gib}",
        "# TYPE node_memory_MemAvailable_bytes gauge",
        f"node_memory_MemAvailable_bytes {8 * gib - n * mib}",
        "# TYPE node_load1 gauge",
        f"node_load1 {0.5 + (n % 4) * 0.25}",
        "# TYPE node_filesystem_avail_bytes gauge",
        f'node_filesystem_avail_bytes{{device="/dev/sda1",fstype="ext4",mountpoint="/"}} {40 * gib - n * mib}',
        "# TYPE node_filesystem_size_bytes gauge",
        f'node_filesystem_size_bytes{{device="/dev/sda1",fstype="ext4",mountpoint="/"}} {100 * gib}',
        "# TYPE node_disk_read_bytes_total counter",
        f'node_disk_read_bytes_total{{device="sda"}} {n * 4 * mib}',
        "# TYPE node_disk_written_bytes_total counter",
        f'node_disk_written_bytes_total{{device="sda"}} {n * 2 * mib}',
        "# TYPE node_network_receive_bytes_total counter",
        f'node_network_receive_bytes_total{{device="eth0"}} {n * mib}',
        "# TYPE node_network_transmit_bytes_total counter",
        f'node_network_transmit_bytes_total{{device="eth0"}} {n * mib // 2}',
        "# TYPE DCGM_FI_DEV_FB_FREE gauge",
        f'DCGM_FI_DEV_FB_FREE{{gpu="0",modelName="NVIDIA H100"}} {80000 - (1000 + n)}',
        "# TYPE DCGM_FI_DEV_POWER_USAGE gauge",
        f'DCGM_FI_DEV_POWER_USAGE{{gpu="0",modelName="NVIDIA H100"}} {100 + n}',
        "# TYPE DCGM_FI_DEV_GPU_TEMP gauge",
        f'DCGM_FI_DEV_GPU_TEMP{{gpu="0",modelName="NVIDIA H100"}} {40 + n % 10}',
        "# TYPE nv_inference_request_success counter",
        f'nv_inference_request_success{{model="resnet",version="1"}} {20 * n}',
        "# TYPE nv_inference_request_failure counter",
        f'nv_inference_request_failure{{model="resnet",version="1"}} {n}',
    ]
    return metrics(n) + ("\n".join(lines) + "\n").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code, body, ctype="text/plain; version=0.0.4; charset=utf-8", extra=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        try:
            self.route(path)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def api(self, path):
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        params = urllib.parse.parse_qsl(query, keep_blank_values=True)
        q = dict(params).get("query", "")
        if q.startswith("ERROR "):
            _, etype, msg = q.split(" ", 2)
            status = {"bad_data": 400, "execution": 422, "timeout": 503}.get(etype, 500)
            body = {"status": "error", "errorType": etype, "error": msg, "warnings": ["w1"]}
            self.send(status, json.dumps(body).encode(), "application/json")
            return
        echo = json.dumps({"path": path, "params": params,
                           "authorization": self.headers.get("Authorization", "")})
        body = {"status": "success", "data": {"resultType": "string", "result": [1.5, echo]}}
        self.send(200, json.dumps(body).encode(), "application/json")

    def route(self, path):
        if path.startswith("/api/v1/"):
            self.api(path)
        elif path == "/metrics":
            LAST_ACCEPT[0] = self.headers.get("Accept", "")
            self.send(200, metrics(bump(path)))
        elif path == "/openmetrics":
            n = bump(path)
            body = ("# TYPE model_predictions counter\n"
                    f'model_predictions_total{{model="fraud"}} {40 * n}\n'
                    "# TYPE model_queue_depth gauge\n"
                    f"model_queue_depth {n % 5}\n"
                    "# EOF\n").encode()
            self.send(200, body, "application/openmetrics-text; version=1.0.0; charset=utf-8")
        elif path == "/resources":
            self.send(200, resources(bump(path)))
        elif path == "/last-accept":
            self.send(200, LAST_ACCEPT[0].encode(), "text/plain")
        elif path == "/gzip":
            self.send(200, gzip.compress(metrics(bump(path))), extra={"Content-Encoding": "gzip"})
        elif path == "/auth":
            want = "Bearer " + os.environ.get("SCRAPE_TOKEN", "s3cret-token")
            if self.headers.get("Authorization") != want:
                self.send(401, b"unauthorized\n", "text/plain", {"WWW-Authenticate": "Bearer"})
            else:
                self.send(200, metrics(bump(path)))
        elif path == "/basic":
            token = base64.b64encode(b"vigil:" + os.environ.get("SCRAPE_PASSWORD", "pa55:word").encode()).decode()
            if self.headers.get("Authorization") != "Basic " + token:
                self.send(401, b"unauthorized\n", "text/plain", {"WWW-Authenticate": "Basic"})
            else:
                self.send(200, metrics(bump(path)))
        elif path == "/slow":
            time.sleep(5)
            self.send(200, metrics(bump(path)))
        elif path == "/trickle":
            body = metrics(bump(path))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for i in range(len(body)):
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/huge":
            chunk = b"# " + b"x" * (1024 * 1024 - 3) + b"\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            for _ in range(65):
                self.wfile.write(chunk)
            self.wfile.write(b"up 1\n")
        elif path == "/html":
            self.send(200, b"<html><body>It works!</body></html>\n", "text/html; charset=utf-8")
        elif path == "/401":
            self.send(401, b"no\n", "text/plain")
        elif path == "/500":
            self.send(500, b"boom\n", "text/plain")
        elif path == "/flaky":
            n = bump(path)
            if n == 1:
                self.send(500, b"boom\n", "text/plain")
            else:
                self.send(200, metrics(n - 1))
        else:
            self.send(404, b"not found\n", "text/plain")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--lifetime", type=float, default=120.0, help="exit after this many seconds")
    args = ap.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    # A test that dies without cleaning up must not leave the exporter behind.
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
