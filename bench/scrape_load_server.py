#!/usr/bin/env python3
"""N metrics endpoints for bench_scrape_load, in this one process: each port serves the
fixture model server's body (tests/cli/fixture_model_server.py) with --shards shards,
about 500 samples at the default 16, freshly rendered per request. Prints the URLs on
one line, then serves until killed or --lifetime seconds have passed."""
import argparse
import http.server
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "cli"))
import fixture_model_server as fixture  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--shards", type=int, default=16)
    ap.add_argument("--lifetime", type=float, default=600)
    args = ap.parse_args()
    fixture.Handler.state = fixture.State(reset_after=1e9, shards=args.shards)
    urls = []
    for _ in range(args.count):
        server = fixture.Server(("127.0.0.1", 0), fixture.Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        urls.append(f"http://127.0.0.1:{server.server_address[1]}/metrics")
    print(" ".join(urls), flush=True)
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    threading.Event().wait()


if __name__ == "__main__":
    main()
