#!/usr/bin/python3
"""Reference values for tst_prom_math: rate/increase/delta/irate/idelta on random
series with jitter, gaps and counter resets, computed here with numpy from the
algorithm in Prometheus v3.9.1 promql/functions.go (extrapolatedRate, instantValue)
as described in shared/reference/formats.md section 2.7 -- a second, vectorised
implementation written independently of core/prom/rate.cpp.

Usage: /usr/bin/python3 prom_rate_reference.py > ../data/prom/rate_cases.tsv"""
import numpy as np

rng = np.random.default_rng(7)


def window(t, v, eval_ms, range_ms):
    mask = (t > eval_ms - range_ms) & (t <= eval_ms)  # left-open, right-closed
    return t[mask], v[mask]


def extrapolated(t, v, start_ms, end_ms, counter, is_rate):
    if len(t) < 2:
        return None
    result = v[-1] - v[0]
    if counter:
        drops = np.diff(v) < 0
        result += v[:-1][drops].sum()
    to_start = (t[0] - start_ms) / 1000.0
    to_end = (end_ms - t[-1]) / 1000.0
    sampled = (t[-1] - t[0]) / 1000.0
    avg = sampled / (len(t) - 1)
    if to_start >= avg * 1.1:
        to_start = avg / 2
    if counter and result > 0 and v[0] >= 0:
        to_zero = sampled * (v[0] / result)
        to_start = min(to_start, to_zero)
    if to_end >= avg * 1.1:
        to_end = avg / 2
    factor = (sampled + to_start + to_end) / sampled
    if is_rate:
        factor /= (end_ms - start_ms) / 1000.0
    return result * factor


def instant(t, v, is_rate):
    if len(t) < 2:
        return None
    prev, last = v[-2], v[-1]
    out = last if (is_rate and last < prev) else last - prev
    dt = t[-1] - t[-2]
    if dt == 0:
        return None
    return out / (dt / 1000.0) if is_rate else out


def fmt(x):
    return "none" if x is None else repr(float(x))


print("# series (t_ms:value,...)\teval_ms\trange_ms\tincrease\trate\tdelta\tirate\tidelta")
for case in range(120):
    n = int(rng.integers(1, 40))
    interval = int(rng.choice([1000, 5000, 15000, 30000, 60000]))
    steps = np.cumsum(rng.integers(1, 3, size=n) * interval + rng.integers(-interval // 10, interval // 10 + 1, size=n))
    t = (1_700_000_000_000 + steps).astype(np.int64)
    if case % 5 == 0 and n > 6:
        t[n // 2:] += interval * int(rng.integers(5, 30))  # a gap
    incr = rng.uniform(0, 50, size=n)
    v = np.cumsum(incr)
    if case % 3 == 0 and n > 4:
        cut = int(rng.integers(1, n))
        v[cut:] -= v[cut - 1]  # counter reset to about zero
        v[cut:] += rng.uniform(0, 5)
    if case % 7 == 0:
        v = rng.uniform(-100, 100, size=n)  # a gauge: resets everywhere
    v = np.round(v, 3)
    span = int(t[-1] - t[0]) + 1
    range_ms = int(rng.choice([interval * 2, interval * 4, interval * 10, span // 2 + 1, span + interval]))
    eval_ms = int(t[0] + rng.integers(0, span + 2 * interval))
    wt, wv = window(t, v, eval_ms, range_ms)
    start = eval_ms - range_ms
    series = ",".join(f"{int(a)}:{float(b)!r}" for a, b in zip(t, v))
    print("\t".join([series, str(eval_ms), str(range_ms),
                     fmt(extrapolated(wt, wv, start, eval_ms, True, False)),
                     fmt(extrapolated(wt, wv, start, eval_ms, True, True)),
                     fmt(extrapolated(wt, wv, start, eval_ms, False, False)),
                     fmt(instant(wt, wv, True)), fmt(instant(wt, wv, False))]))
