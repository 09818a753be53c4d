#!/usr/bin/python3
"""Live-follow benchmark writer: appends prediction lines to LOG at RATE lines/s
for SECONDS, stamping each with the wall clock, and rotates the log ROTATIONS times
alternating rename-and-create and copy-truncate (logrotate's two modes). Prints
the number of lines written (and the rotations) as JSON on stdout at the end.

    bench/follow_writer.py LOG [--rate 20000] [--seconds 60] [--rotations 5]
"""
import argparse
import json
import os
import random
import shutil
import sys
import time


def shift_rotated(path):
    last = 0
    while os.path.exists(f"{path}.{last + 1}"):
        last += 1
    for k in range(last, 0, -1):
        os.rename(f"{path}.{k}", f"{path}.{k + 1}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--rate", type=int, default=20000)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--rotations", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    opts = ap.parse_args()
    rng = random.Random(opts.seed)
    open_flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    fd = os.open(opts.log, open_flags, 0o644)
    tick = 0.01  # a batch every 10 ms, like a busy service's buffered logger
    per_tick = opts.rate * tick
    total = int(opts.rate * opts.seconds)
    rotate_at = [int(total * (k + 1) / (opts.rotations + 1)) for k in range(opts.rotations)]
    written = 0
    renames = truncates = 0
    start = time.monotonic()
    owed = 0.0
    while written < total:
        owed += per_tick
        n = min(int(owed), total - written)
        owed -= n
        now_ms = int(time.time() * 1000)
        parts = []
        for i in range(n):
            seq = written + i
            p = rng.random()
            parts.append(
                f'{{"ts":{now_ms},"request_id":"r{seq}","model":"churn","version":"{"1.4.0" if seq % 10 else "1.3.0"}",'
                f'"latency_ms":{rng.lognormvariate(3, 0.4):.2f},"status":"{"error" if p < 0.01 else "ok"}",'
                f'"prediction":{p:.4f},"label":{1 if rng.random() < p else 0},'
                f'"features":{{"amount":{rng.gauss(100, 20):.2f},"country":"{rng.choice("ABCD")}"}},'
                f'"kpi":{{"revenue":{rng.random() * 10:.2f}}}}}\n')
        if parts:
            os.write(fd, "".join(parts).encode())
        written += n
        if rotate_at and written >= rotate_at[0]:
            rotate_at.pop(0)
            shift_rotated(opts.log)
            if (renames + truncates) % 2 == 0:
                os.rename(opts.log, opts.log + ".1")
                os.close(fd)
                fd = os.open(opts.log, open_flags, 0o644)
                renames += 1
            else:
                shutil.copyfile(opts.log, opts.log + ".1")
                os.truncate(opts.log, 0)
                truncates += 1
        ticks = (time.monotonic() - start) / tick
        sleep = (int(ticks) + 1 - ticks) * tick
        time.sleep(max(0.0, sleep))
    os.close(fd)
    elapsed = time.monotonic() - start
    json.dump({"lines": written, "rename": renames, "truncate": truncates, "seconds": round(elapsed, 2),
               "rate": round(written / elapsed)}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
