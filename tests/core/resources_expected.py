#!/usr/bin/env python3
"""Recomputes tst_resources' expected values from the fixture /proc trees with plain
Python (independent of the C++ parsers). USER_HZ = 100, samples 2 s apart."""
import os

ROOT = os.path.join(os.path.dirname(__file__), "..", "data", "resources")
HZ, DT = 100.0, 2.0
MODES = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]


def read(t, rel):
    with open(os.path.join(ROOT, t, rel)) as f:
        return f.read()


def cpu(t):
    rows = {}
    for line in read(t, "stat").splitlines():
        f = line.split()
        if f and f[0].startswith("cpu"):
            rows[f[0]] = [int(x) for x in f[1:9]]
    return rows


def pid_ticks(t, d):
    rest = read(t, d + "/stat").rsplit(")", 1)[1].split()
    return int(rest[11]) + int(rest[12])


def kv(t, rel, key):
    for line in read(t, rel).splitlines():
        if line.startswith(key + ":"):
            f = line.split(":", 1)[1].split()
            return float(f[0]) * (1024 if len(f) > 1 and f[1] == "kB" else 1)


def disks(t):
    return {f[2]: (int(f[5]) * 512, int(f[9]) * 512) for f in (l.split() for l in read(t, "diskstats").splitlines())}


def nets(t):
    out = {}
    for line in read(t, "net/dev").splitlines()[2:]:
        name, rest = line.split(":", 1)
        f = rest.split()
        out[name.strip()] = (int(f[0]), int(f[8]))
    return out


c0, c1 = cpu("t0"), cpu("t1")
print("cpu0 user s", c0["cpu0"][0] / HZ, "cpu1 steal s", c0["cpu1"][7] / HZ)
total = sum(c1["cpu"]) - sum(c0["cpu"])
for i, m in enumerate(MODES):
    print("ratio", m, (c1["cpu"][i] - c0["cpu"][i]) / total)
mt, ma = kv("t0", "meminfo", "MemTotal"), kv("t0", "meminfo", "MemAvailable")
print("mem total", mt, "available", ma, "used", mt - ma)
print("load t0", read("t0", "loadavg").split()[:3], "t1", read("t1", "loadavg").split()[:3])
for d in ("self", "4242"):
    print(d, "cpu s", pid_ticks("t0", d) / HZ, "cpu%", (pid_ticks("t1", d) - pid_ticks("t0", d)) / HZ / DT * 100,
          "rss t0", kv("t0", d + "/status", "VmRSS"), "rss t1", kv("t1", d + "/status", "VmRSS"))
d0, d1 = disks("t0"), disks("t1")
for dev in d0:
    print("disk", dev, "t0", d0[dev], "rates", (d1[dev][0] - d0[dev][0]) / DT, (d1[dev][1] - d0[dev][1]) / DT)
n0, n1 = nets("t0"), nets("t1")
for dev in n0:
    print("net", dev, "t0", n0[dev], "rates", (n1[dev][0] - n0[dev][0]) / DT, (n1[dev][1] - n0[dev][1]) / DT)
