"""Writes a late-label file for the benchmark log of bench_generate_log (ids req-%08d,
ts = prediction ts + a log-normal delay of ~6 h, 90 % labelled, 10,000 ids not in the
log, shuffled). Usage: make_label_file.py OUT.jsonl [rows=1000000]"""
import random
import sys

out_path = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
t0, span = 1767225600000, 7 * 24 * 3600 * 1000  # as bench_generate_log
rng = random.Random(3)
out = []
for i in range(rows):
    if rng.random() < 0.9:
        ts = t0 + i * span // rows + int(rng.lognormvariate(10.0, 0.8) * 1000)
        out.append(f'{{"request_id": "req-{i:08d}", "label": {1 if rng.random() < 0.4 else 0}, "ts": {ts}}}\n')
for k in range(10000):
    out.append(f'{{"request_id": "ghost-{k}", "label": 1, "ts": {t0}}}\n')
rng.shuffle(out)
with open(out_path, "w") as f:
    f.write("".join(out))
