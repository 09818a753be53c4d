#!/usr/bin/python3
"""Reference values for tst_kll_sketch: numpy.quantile (default 'linear' method) of samples
small enough that a KLL sketch with k = 1024 holds every value, so the sketch's quantile must
equal numpy's bit for bit (ties, negative zero and +/-Inf included; numpy 1.24 gives NaN when
an infinity is in the interpolation pair).

Usage: /usr/bin/python3 kll_quantile_reference.py > ../data/kll/numpy_quantiles.tsv"""
import numpy as np

rng = np.random.default_rng(20261126)
qs = [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0]
print("# values (comma separated)\tq:expected pairs (numpy.quantile, linear), comma separated")
with np.errstate(invalid="ignore"):
    for case in range(40):
        n = int(rng.integers(1, 1000))
        kind = case % 5
        if kind == 0:
            x = rng.normal(50.0, 20.0, size=n)
        elif kind == 1:
            x = rng.lognormal(3.0, 1.5, size=n)
        elif kind == 2:
            x = rng.integers(0, 7, size=n).astype(float)  # ties
        elif kind == 3:
            x = rng.uniform(-1.0, 1.0, size=n)
            x[rng.random(n) < 0.05] = np.inf
            x[rng.random(n) < 0.05] = -np.inf
        else:
            x = np.round(rng.exponential(120.0, size=n), 1)
        v = ",".join(repr(float(e)) for e in x)
        pairs = ",".join(f"{q!r}:{float(np.quantile(x, q))!r}" for q in qs + [float(rng.uniform())])
        print(f"{v}\t{pairs}")
