#!/usr/bin/python3
"""Reference values for tst_prom_math: histogram_quantile() on random classic
histograms, computed with numpy.interp (an implementation independent of Vigil's).

For positive bucket bounds and strictly increasing cumulative counts, Prometheus'
BucketQuantile is a piecewise-linear interpolation of the bound as a function of the
cumulative count through (0, 0), (c0, b0), ..., (c[n-2], b[n-2]), clamped at
b[n-2] for ranks in the +Inf bucket -- exactly numpy.interp's behaviour.

Usage: /usr/bin/python3 prom_quantile_reference.py > ../data/prom/histogram_quantile_cases.tsv"""
import numpy as np

rng = np.random.default_rng(20261126)
print("# q\tupper bounds (last is +Inf)\tcumulative counts\texpected (numpy.interp)")
for case in range(60):
    n = int(rng.integers(2, 12))
    bounds = np.cumsum(rng.uniform(0.001, 5.0, size=n - 1))
    if case % 3 == 0:
        bounds = np.round(bounds, 3)  # exporter-like round bounds
    counts = np.cumsum(rng.integers(1, 1000, size=n)).astype(float)
    if case % 4 == 1:
        counts = counts / 7.3  # rates of counters, not integers
    for q in (0.0, 0.01, 0.25, 0.5, 0.9, 0.99, 1.0, float(rng.uniform())):
        rank = q * counts[-1]
        xp = np.concatenate(([0.0], counts[:-1]))
        fp = np.concatenate(([0.0], bounds))
        expected = float(np.interp(rank, xp, fp))
        b = ",".join(repr(float(x)) for x in bounds) + ",+Inf"
        c = ",".join(repr(float(x)) for x in counts)
        print(f"{q!r}\t{b}\t{c}\t{expected!r}")
