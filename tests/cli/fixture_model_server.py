#!/usr/bin/env python3
"""Fixture metrics of a model server and its GPU, served on 127.0.0.1 (free port printed
first) at /metrics in the Prometheus text format 0.0.4, for tests/cli/test_prometheus_real.py
and the benchmarks. The values change with time: every scrape advances the state to now.

  model_requests_total{model,version,status}  counter; "ranker" restarts (counter reset)
                                              --reset-after seconds after the start
  model_request_duration_seconds{model,version}  histogram, le 0.005 ... 2.5, +Inf;
                                              the latency distribution drifts with time
  model_inflight_requests{model}              gauge
  model_last_batch_auc{model}                 gauge, NaN for "ranker" (no labels yet)
  DCGM_FI_DEV_GPU_UTIL, DCGM_FI_DEV_FB_USED, DCGM_FI_DEV_POWER_USAGE, DCGM_FI_DEV_GPU_TEMP
                                              gauges in dcgm-exporter's names and labels
Options: --reset-after S, --lifetime S (exit after), --series-per-model N (extra
"shard" label values, to grow the body for benchmarks).
"""
import argparse
import http.server
import math
import os
import sys
import threading
import time

BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5]
MODELS = [("fraud", "v3", 40.0, 0.04), ("ranker", "v1", 120.0, 0.012)]  # name, version, req/s, mean latency
STATUSES = [("ok", 0.95), ("error", 0.04), ("timeout", 0.01)]
GPUS = [("0", "GPU-6f2b2c4e-3b1a-4d6e-9a51-0c7f4e2d9a10"), ("1", "GPU-0b9d71e3-8c55-4a0f-b6a2-5e1d3c7f8b24")]


class State:
    def __init__(self, reset_after, shards):
        self.start = time.time()
        self.last = 0.0
        self.reset_after = reset_after
        self.reset_done = False
        self.shards = shards
        self.lock = threading.Lock()
        # per (model, shard): request accumulators (float, exposed floored), histogram, sum
        self.requests = {}
        self.buckets = {}
        self.sums = {}
        for name, _, _, _ in MODELS:
            for shard in range(shards):
                self.zero(name, shard)

    def zero(self, name, shard):
        for status, _ in STATUSES:
            self.requests[(name, shard, status)] = 0.0
        self.buckets[(name, shard)] = [0.0] * (len(BUCKETS) + 1)
        self.sums[(name, shard)] = 0.0

    def advance(self):
        now = time.time() - self.start
        dt = now - self.last
        self.last = now
        if not self.reset_done and now >= self.reset_after:
            # The ranker process restarts: its counters start again from zero.
            self.reset_done = True
            for shard in range(self.shards):
                self.zero("ranker", shard)
        for name, _, rps, mean in MODELS:
            mu = mean * (1.0 + 0.5 * math.sin(now / 4.0))  # latency drifts with time
            for shard in range(self.shards):
                n = rps * dt * (1.0 + 0.3 * math.sin(now / 3.0 + shard))
                for status, share in STATUSES:
                    self.requests[(name, shard, status)] += n * share
                b = self.buckets[(name, shard)]
                prev = 0.0
                for i, le in enumerate(BUCKETS):
                    cdf = 1.0 - math.exp(-le / mu)
                    b[i] += n * (cdf - prev)
                    prev = cdf
                b[-1] += n * (1.0 - prev)
                self.sums[(name, shard)] += n * mu
        return now

    def render(self):
        with self.lock:
            now = self.advance()
            out = ["# HELP model_requests_total Requests answered by the model server.",
                   "# TYPE model_requests_total counter"]
            for name, version, _, _ in MODELS:
                for shard in range(self.shards):
                    for status, _ in STATUSES:
                        out.append(f'model_requests_total{{model="{name}",version="{version}",'
                                   f'shard="{shard}",status="{status}"}} '
                                   f'{math.floor(self.requests[(name, shard, status)])}')
            out += ["# HELP model_request_duration_seconds Time from request to response.",
                    "# TYPE model_request_duration_seconds histogram"]
            for name, version, _, _ in MODELS:
                for shard in range(self.shards):
                    labels = f'model="{name}",version="{version}",shard="{shard}"'
                    cumulative = 0.0
                    b = self.buckets[(name, shard)]
                    for i, le in enumerate(BUCKETS + [math.inf]):
                        cumulative += b[i]
                        le_text = "+Inf" if le == math.inf else repr(le)
                        out.append(f'model_request_duration_seconds_bucket{{{labels},le="{le_text}"}} '
                                   f'{math.floor(cumulative)}')
                    out.append(f"model_request_duration_seconds_sum{{{labels}}} {self.sums[(name, shard)]!r}")
                    out.append(f"model_request_duration_seconds_count{{{labels}}} {math.floor(cumulative)}")
            out += ["# HELP model_inflight_requests Requests being answered right now.",
                    "# TYPE model_inflight_requests gauge"]
            for i, (name, _, rps, _) in enumerate(MODELS):
                out.append(f'model_inflight_requests{{model="{name}"}} {round(rps / 10 * (1.2 + math.sin(now + i)))}')
            out += ["# HELP model_last_batch_auc AUC of the last labelled batch.",
                    "# TYPE model_last_batch_auc gauge",
                    'model_last_batch_auc{model="fraud"} 0.9125',
                    'model_last_batch_auc{model="ranker"} NaN']
            gauges = [
                ("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", lambda g: round(60 + 35 * math.sin(now / 2 + g))),
                ("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).",
                 lambda g: 30000 + round(4000 * math.sin(now / 5 + g))),
                ("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", lambda g: round(350 + 200 * math.sin(now / 2 + g), 3)),
                ("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", lambda g: round(55 + 10 * math.sin(now / 7 + g))),
            ]
            for metric, help_text, fn in gauges:
                out += [f"# HELP {metric} {help_text}", f"# TYPE {metric} gauge"]
                for g, (index, uuid) in enumerate(GPUS):
                    out.append(f'{metric}{{gpu="{index}",UUID="{uuid}",device="nvidia{index}",'
                               f'modelName="NVIDIA H100 80GB HBM3",Hostname="infer-01"}} {fn(g)}')
            return ("\n".join(out) + "\n").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.split("?")[0] != "/metrics":
            body, code, ctype = b"not found\n", 404, "text/plain"
        else:
            body, code, ctype = self.state.render(), 200, "text/plain; version=0.0.4; charset=utf-8"
        try:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reset-after", type=float, default=3.0)
    ap.add_argument("--series-per-model", type=int, default=1)
    ap.add_argument("--lifetime", type=float, default=300.0)
    args = ap.parse_args()
    Handler.state = State(args.reset_after, args.series_per_model)
    server = Server(("127.0.0.1", 0), Handler)
    # A test that dies without cleaning up must not leave the exporter behind.
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
