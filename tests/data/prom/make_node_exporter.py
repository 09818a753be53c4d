#!/usr/bin/env python3
"""Writes node_exporter.txt: a realistic node_exporter 1.x /metrics body (Prometheus
text 0.0.4 as client_golang renders it: HELP, TYPE, label names sorted, Go float
formatting). Metric names and help strings follow node_exporter's collectors; values
are synthetic but plausible. Deterministic: python3 make_node_exporter.py > node_exporter.txt"""
import random
import sys

rng = random.Random(42)
out = []


def gofloat(v):
    # strconv.FormatFloat(v, 'g', -1, 64): shortest repr, exponent when < 1e-4 or >= 1e21
    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "+Inf" if v > 0 else "-Inf"
    if v == int(v) and abs(v) < 1e21:
        return str(int(v))
    r = repr(v)
    if "e" in r:
        m, e = r.split("e")
        sign = "-" if e.startswith("-") else "+"
        return f"{m}e{sign}{abs(int(e)):02d}"
    return r


def family(name, typ, help_text, samples):
    out.append(f"# HELP {name} {help_text}")
    out.append(f"# TYPE {name} {typ}")
    for labels, value in samples:
        if labels:
            lab = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
            out.append(f"{name}{{{lab}}} {gofloat(value)}")
        else:
            out.append(f"{name} {gofloat(value)}")


def summary(name, help_text, quantiles, total, count):
    out.append(f"# HELP {name} {help_text}")
    out.append(f"# TYPE {name} summary")
    for q, v in quantiles:
        out.append(f'{name}{{quantile="{q}"}} {gofloat(v)}')
    out.append(f"{name}_sum {gofloat(total)}")
    out.append(f"{name}_count {count}")


summary("go_gc_duration_seconds", "A summary of the pause duration of garbage collection cycles.",
        [("0", 2.6781e-05), ("0.25", 4.0862e-05), ("0.5", 5.4531e-05), ("0.75", 7.8451e-05), ("1", 0.002146781)],
        0.412387812, 5812)
family("go_goroutines", "gauge", "Number of goroutines that currently exist.", [({}, 8)])
family("go_info", "gauge", "Information about the Go environment.", [({"version": "go1.22.5"}, 1)])
for field, help_text, v in [
        ("alloc_bytes", "Number of bytes allocated and still in use.", 3.241416e+06),
        ("alloc_bytes_total", "Total number of bytes allocated, even if freed.", 1.9764735448e+10),
        ("buck_hash_sys_bytes", "Number of bytes used by the profiling bucket hash table.", 1.534562e+06),
        ("frees_total", "Total number of frees.", 2.61345118e+08),
        ("gc_sys_bytes", "Number of bytes used for garbage collection system metadata.", 3.69924e+06),
        ("heap_alloc_bytes", "Number of heap bytes allocated and still in use.", 3.241416e+06),
        ("heap_idle_bytes", "Number of heap bytes waiting to be used.", 5.357568e+06),
        ("heap_inuse_bytes", "Number of heap bytes that are in use.", 5.152768e+06),
        ("heap_objects", "Number of allocated objects.", 24716),
        ("heap_released_bytes", "Number of heap bytes released to OS.", 4.382720e+06),
        ("heap_sys_bytes", "Number of heap bytes obtained from system.", 1.0510336e+07),
        ("last_gc_time_seconds", "Number of seconds since 1970 of last garbage collection.", 1.7324568712519376e+09),
        ("lookups_total", "Total number of pointer lookups.", 0),
        ("mallocs_total", "Total number of mallocs.", 2.61369834e+08),
        ("mcache_inuse_bytes", "Number of bytes in use by mcache structures.", 4800),
        ("mcache_sys_bytes", "Number of bytes used for mcache structures obtained from system.", 15600),
        ("mspan_inuse_bytes", "Number of bytes in use by mspan structures.", 131840),
        ("mspan_sys_bytes", "Number of bytes used for mspan structures obtained from system.", 163200),
        ("next_gc_bytes", "Number of heap bytes when next garbage collection will take place.", 6.295976e+06),
        ("other_sys_bytes", "Number of bytes used for other system allocations.", 1.026486e+06),
        ("stack_inuse_bytes", "Number of bytes in use by the stack allocator.", 983040),
        ("stack_sys_bytes", "Number of bytes obtained from system for stack allocator.", 983040),
        ("sys_bytes", "Number of bytes obtained from system.", 1.7965448e+07)]:
    typ = "counter" if field.endswith("_total") else "gauge"
    family(f"go_memstats_{field}", typ, help_text, [({}, v)])
family("go_threads", "gauge", "Number of OS threads created.", [({}, 12)])

family("node_arp_entries", "gauge", "ARP entries by device", [({"device": "eth0"}, 3)])
family("node_boot_time_seconds", "gauge", "Node boot time, in unixtime.", [({}, 1.732011217e+09)])
family("node_context_switches_total", "counter", "Total number of context switches.", [({}, 2.3514875642e+10)])

CPUS = 32
MODES = ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"]
family("node_cpu_guest_seconds_total", "counter", "Seconds the CPUs spent in guests (VMs) for each mode.",
       [({"cpu": str(c), "mode": m}, 0) for c in range(CPUS) for m in ("nice", "user")])
cpu = []
for c in range(CPUS):
    for m in MODES:
        base = {"idle": 410870.69, "iowait": 812.4, "irq": 0, "nice": 12.85, "softirq": 1934.12,
                "steal": 0, "system": 10871.33, "user": 43711.52}[m]
        cpu.append(({"cpu": str(c), "mode": m}, round(base * rng.uniform(0.9, 1.1), 2)))
cpu[0] = ({"cpu": "0", "mode": "idle"}, 10870.69)
family("node_cpu_seconds_total", "counter", "Seconds the CPUs spent in each mode.", cpu)
family("node_cpu_scaling_frequency_hertz", "gauge", "Current scaled CPU thread frequency in hertz.",
       [({"cpu": str(c)}, rng.choice([1.2e9, 2.2e9, 3.4e9, 3.6e9])) for c in range(CPUS)])
family("node_cpu_scaling_frequency_max_hertz", "gauge", "Maximum scaled CPU thread frequency in hertz.",
       [({"cpu": str(c)}, 4.5e9) for c in range(CPUS)])
family("node_cpu_scaling_frequency_min_hertz", "gauge", "Minimum scaled CPU thread frequency in hertz.",
       [({"cpu": str(c)}, 8e8) for c in range(CPUS)])

DISKS = ["dm-0", "dm-1", "nvme0n1", "nvme1n1", "sda", "sdb"]
disk_fams = [
    ("node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards."),
    ("node_disk_discarded_sectors_total", "The total number of sectors discarded successfully."),
    ("node_disk_discards_completed_total", "The total number of discards completed successfully."),
    ("node_disk_discards_merged_total", "The total number of discards merged."),
    ("node_disk_flush_requests_time_seconds_total", "This is the total number of seconds spent by all flush requests."),
    ("node_disk_flush_requests_total", "The total number of flush requests completed successfully"),
    ("node_disk_io_time_seconds_total", "Total seconds spent doing I/Os."),
    ("node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os."),
    ("node_disk_read_bytes_total", "The total number of bytes read successfully."),
    ("node_disk_read_time_seconds_total", "The total number of seconds spent by all reads."),
    ("node_disk_reads_completed_total", "The total number of reads completed successfully."),
    ("node_disk_reads_merged_total", "The total number of reads merged."),
    ("node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes."),
    ("node_disk_writes_completed_total", "The total number of writes completed successfully."),
    ("node_disk_writes_merged_total", "The number of writes merged."),
    ("node_disk_written_bytes_total", "The total number of bytes written successfully."),
]
family("node_disk_info", "gauge", "Info of /sys/block/<block_device>.",
       [({"device": d, "major": str(259 if d.startswith("nvme") else 8 if d.startswith("sd") else 253),
          "minor": str(i), "model": "", "path": "", "revision": "", "serial": "", "wwn": ""}, 1)
        for i, d in enumerate(DISKS)])
family("node_disk_io_now", "gauge", "The number of I/Os currently in progress.", [({"device": d}, 0) for d in DISKS])
for name, help_text in disk_fams:
    samples = []
    for d in DISKS:
        if name == "node_disk_read_bytes_total" and d == "dm-0":
            samples.append(({"device": d}, 5.13708655616e+11))
        elif "seconds" in name:
            samples.append(({"device": d}, round(rng.uniform(0, 90000), 3)))
        elif "bytes" in name:
            samples.append(({"device": d}, float(rng.randrange(0, 2**40) * 512)))
        else:
            samples.append(({"device": d}, rng.randrange(0, 10**8)))
    family(name, "counter", help_text, samples)

family("node_entropy_available_bits", "gauge", "Bits of available entropy.", [({}, 256)])
family("node_exporter_build_info", "gauge",
       "A metric with a constant '1' value labeled by version, revision, branch, goversion from which node_exporter was built, and the goos and goarch for the build.",
       [({"branch": "HEAD", "goarch": "amd64", "goos": "linux", "goversion": "go1.22.5",
          "revision": "a7dcc3a", "tags": "unknown", "version": "1.8.2"}, 1)])
family("node_filefd_allocated", "gauge", "File descriptor statistics: allocated.", [({}, 12864)])
family("node_filefd_maximum", "gauge", "File descriptor statistics: maximum.", [({}, 9.223372036854776e+18)])

MOUNTS = [("/dev/nvme0n1p2", "/", "ext4"), ("/dev/nvme0n1p1", "/boot/efi", "vfat"),
          ("/dev/mapper/data", "/data", "xfs"), ("tmpfs", "/run", "tmpfs"), ("tmpfs", "/run/lock", "tmpfs"),
          ("tmpfs", "/run/user/1000", "tmpfs"), ("/dev/sda1", "/mnt/backup", "ext4"),
          ("/dev/sdb1", "/mnt/scratch", "btrfs")]
for name, typ, help_text in [
        ("node_filesystem_avail_bytes", "gauge", "Filesystem space available to non-root users in bytes."),
        ("node_filesystem_device_error", "gauge", "Whether an error occurred while getting statistics for the given device."),
        ("node_filesystem_files", "gauge", "Filesystem total file nodes."),
        ("node_filesystem_files_free", "gauge", "Filesystem total free file nodes."),
        ("node_filesystem_free_bytes", "gauge", "Filesystem free space in bytes."),
        ("node_filesystem_readonly", "gauge", "Filesystem read-only status."),
        ("node_filesystem_size_bytes", "gauge", "Filesystem size in bytes.")]:
    samples = []
    for dev, mp, fs in MOUNTS:
        lab = {"device": dev, "fstype": fs, "mountpoint": mp}
        if "error" in name or "readonly" in name:
            v = 0
        elif "files" in name:
            v = rng.randrange(10**5, 10**8)
        else:
            v = float(rng.randrange(1, 2**28) * 4096)
        samples.append((lab, v))
    family(name, typ, help_text, samples)

for i, (name, help_text) in enumerate([("node_load1", "1m load average."), ("node_load15", "15m load average."),
                                       ("node_load5", "5m load average.")]):
    family(name, "gauge", help_text, [({}, [0.42, 0.61, 0.55][i])])

MEMINFO = ["Active", "Active_anon", "Active_file", "AnonHugePages", "AnonPages", "Bounce", "Buffers", "Cached",
           "CommitLimit", "Committed_AS", "DirectMap1G", "DirectMap2M", "DirectMap4k", "Dirty", "FileHugePages",
           "FilePmdMapped", "HardwareCorrupted", "HugePages_Free", "HugePages_Rsvd", "HugePages_Surp",
           "HugePages_Total", "Hugepagesize", "Hugetlb", "Inactive", "Inactive_anon", "Inactive_file",
           "KReclaimable", "KernelStack", "Mapped", "MemAvailable", "MemFree", "MemTotal", "Mlocked", "NFS_Unstable",
           "PageTables", "Percpu", "SReclaimable", "SUnreclaim", "SecPageTables", "ShmemHugePages",
           "ShmemPmdMapped", "Shmem", "Slab", "SwapCached", "SwapFree", "SwapTotal", "Unevictable",
           "VmallocChunk", "VmallocTotal", "VmallocUsed", "Writeback", "WritebackTmp", "Zswap", "Zswapped"]
for field in MEMINFO:
    suffix = "" if field.startswith("HugePages_") else "_bytes"
    v = float(rng.randrange(0, 2**24) * 1024)
    if field == "MemTotal":
        v = 6.7190571008e+10
    family(f"node_memory_{field}{suffix}", "gauge", f"Memory information field {field}{suffix}.", [({}, v)])

NICS = ["docker0", "eth0", "eth1", "lo", "veth1a2b3c4", "wlan0"]
net_counters = ["receive_bytes", "receive_compressed", "receive_drop", "receive_errs", "receive_fifo",
                "receive_frame", "receive_multicast", "receive_packets", "transmit_bytes", "transmit_carrier",
                "transmit_colls", "transmit_compressed", "transmit_drop", "transmit_errs", "transmit_fifo",
                "transmit_packets"]
for c in net_counters:
    word = c.split("_", 1)
    family(f"node_network_{c}_total", "counter", f"Network device statistic {c}.",
           [({"device": n}, rng.randrange(0, 10**12) if "bytes" in c else rng.randrange(0, 10**6)) for n in NICS])
for name, help_text, fn in [
        ("node_network_carrier", "Network device property: carrier", lambda n: 1),
        ("node_network_mtu_bytes", "Network device property: mtu_bytes", lambda n: 65536 if n == "lo" else 1500),
        ("node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.", lambda n: 0 if n == "wlan0" else 1),
        ("node_network_speed_bytes", "Network device property: speed_bytes", lambda n: 1.25e+08),
        ("node_network_transmit_queue_length", "Network device property: transmit_queue_length", lambda n: 1000)]:
    family(name, "gauge", help_text, [({"device": n}, fn(n)) for n in NICS])
family("node_network_info", "gauge", "Non-numeric data from /sys/class/net/<iface>, value is always 1.",
       [({"address": f"02:42:ac:11:00:{i:02x}", "adminstate": "up", "broadcast": "ff:ff:ff:ff:ff:ff",
          "device": n, "duplex": "full", "ifalias": "", "operstate": "up"}, 1) for i, n in enumerate(NICS)])

for name in ["node_pressure_cpu_waiting_seconds_total", "node_pressure_io_stalled_seconds_total",
             "node_pressure_io_waiting_seconds_total", "node_pressure_memory_stalled_seconds_total",
             "node_pressure_memory_waiting_seconds_total"]:
    family(name, "counter", "Total time in seconds that processes have waited for a resource", [({}, round(rng.uniform(0, 5000), 6))])

family("node_procs_blocked", "gauge", "Number of processes blocked waiting for I/O to complete.", [({}, 0)])
family("node_procs_running", "gauge", "Number of processes in runnable state.", [({}, 3)])

COLLECTORS = ["arp", "bcache", "bonding", "btrfs", "conntrack", "cpu", "cpufreq", "diskstats", "dmi", "edac",
              "entropy", "fibrechannel", "filefd", "filesystem", "hwmon", "infiniband", "ipvs", "loadavg", "mdadm",
              "meminfo", "netclass", "netdev", "netstat", "nfs", "nfsd", "nvme", "os", "powersupplyclass",
              "pressure", "rapl", "schedstat", "selinux", "sockstat", "softnet", "stat", "tapestats", "textfile",
              "thermal_zone", "time", "timex", "udp_queues", "uname", "vmstat", "xfs", "zfs"]
family("node_scrape_collector_duration_seconds", "gauge", "node_exporter: Duration of a collector scrape.",
       [({"collector": c}, round(rng.uniform(1e-5, 0.05), 9)) for c in COLLECTORS])
family("node_scrape_collector_success", "gauge", "node_exporter: Whether a collector succeeded.",
       [({"collector": c}, 0 if c in ("nvme", "zfs") else 1) for c in COLLECTORS])

IRQS = [("0", "IO-APIC", "2-edge", "timer"), ("1", "IO-APIC", "1-edge", "i8042"), ("8", "IO-APIC", "8-edge", "rtc0"),
        ("9", "IO-APIC", "9-fasteoi", "acpi"), ("120", "PCI-MSI", "0-edge", "nvme0q0"), ("121", "PCI-MSI", "1-edge", "nvme0q1"),
        ("122", "PCI-MSI", "2-edge", "nvme0q2"), ("130", "PCI-MSI", "524288-edge", "eth0-TxRx-0"),
        ("131", "PCI-MSI", "524289-edge", "eth0-TxRx-1"), ("NMI", "", "", "Non-maskable interrupts"),
        ("LOC", "", "", "Local timer interrupts"), ("SPU", "", "", "Spurious interrupts"),
        ("PMI", "", "", "Performance monitoring interrupts"), ("IWI", "", "", "IRQ work interrupts"),
        ("RES", "", "", "Rescheduling interrupts"), ("CAL", "", "", "Function call interrupts"),
        ("TLB", "", "", "TLB shootdowns"), ("MCP", "", "", "Machine check polls")]
family("node_interrupts_total", "counter", "Interrupt details.",
       [({"cpu": str(c), "devices": d if chip else "", "info": f"{chip} {pin}" if chip else d, "type": t},
         rng.randrange(0, 10**9))
        for t, chip, pin, d in IRQS for c in range(CPUS)])
family("node_schedstat_running_seconds_total", "counter", "Number of seconds CPU spent running a process.",
       [({"cpu": str(c)}, round(rng.uniform(1e4, 1e5), 6)) for c in range(CPUS)])
family("node_schedstat_timeslices_total", "counter", "Number of timeslices executed by CPU.",
       [({"cpu": str(c)}, rng.randrange(10**8, 10**9)) for c in range(CPUS)])
family("node_schedstat_waiting_seconds_total", "counter", "Number of seconds spent by processing waiting for this CPU.",
       [({"cpu": str(c)}, round(rng.uniform(1e3, 1e4), 6)) for c in range(CPUS)])
for s in ["dropped", "processed", "times_squeezed", "received_rps", "flow_limit_count"]:
    family(f"node_softnet_{s}_total", "counter", f"Number of {s.replace('_', ' ')}",
           [({"cpu": str(c)}, rng.randrange(0, 10**7)) for c in range(CPUS)])
family("node_softnet_backlog_len", "gauge", "Softnet backlog status",
       [({"cpu": str(c)}, 0) for c in range(CPUS)])

NETSTAT = ["Icmp6_InErrors", "Icmp6_InMsgs", "Icmp6_OutMsgs", "Icmp_InErrors", "Icmp_InMsgs", "Icmp_OutMsgs",
           "Ip6_InOctets", "Ip6_OutOctets", "IpExt_InOctets", "IpExt_OutOctets", "Ip_Forwarding",
           "TcpExt_ListenDrops", "TcpExt_ListenOverflows", "TcpExt_SyncookiesFailed", "TcpExt_SyncookiesRecv",
           "TcpExt_SyncookiesSent", "TcpExt_TCPSynRetrans", "TcpExt_TCPTimeouts", "Tcp_ActiveOpens",
           "Tcp_CurrEstab", "Tcp_InErrs", "Tcp_InSegs", "Tcp_OutRsts", "Tcp_OutSegs", "Tcp_PassiveOpens",
           "Tcp_RetransSegs", "Udp6_InDatagrams", "Udp6_InErrors", "Udp6_NoPorts", "Udp6_OutDatagrams",
           "Udp6_RcvbufErrors", "Udp6_SndbufErrors", "UdpLite6_InErrors", "UdpLite_InErrors", "Udp_InDatagrams",
           "Udp_InErrors", "Udp_NoPorts", "Udp_OutDatagrams", "Udp_RcvbufErrors", "Udp_SndbufErrors"]
for s in NETSTAT:
    family(f"node_netstat_{s}", "untyped", f"Statistic {s.replace('_', '')}.", [({}, rng.randrange(0, 10**9))])
for s in ["FRAG6_inuse", "FRAG6_memory", "RAW6_inuse", "TCP6_inuse", "TCP_alloc", "TCP_inuse", "TCP_mem",
          "TCP_mem_bytes", "TCP_orphan", "TCP_tw", "UDP6_inuse", "UDPLITE6_inuse", "UDPLITE_inuse", "UDP_inuse",
          "UDP_mem", "UDP_mem_bytes", "sockets_used"]:
    family(f"node_sockstat_{s}", "gauge", f"Number of {s} sockets in state inuse.", [({}, rng.randrange(0, 5000))])

ZONES = [("0", "acpitz"), ("1", "x86_pkg_temp"), ("2", "iwlwifi_1")]
family("node_thermal_zone_temp", "gauge", "Zone temperature in Celsius",
       [({"type": t, "zone": z}, round(rng.uniform(30, 80), 3)) for z, t in ZONES])
chips = [("platform_coretemp_0", [f"temp{i}" for i in range(1, 18)]), ("pci0000:00_0000:00:1d_0_0000:04:00_0", ["temp1", "temp2", "temp3"])]
hw = []
for chip, sensors in chips:
    for s in sensors:
        hw.append(({"chip": chip, "sensor": s}, float(rng.randrange(30, 80))))
family("node_hwmon_temp_celsius", "gauge", "Hardware monitor for temperature (input)", hw)
family("node_hwmon_temp_crit_celsius", "gauge", "Hardware monitor for temperature (crit)",
       [(l, 100.0) for l, _ in hw])
family("node_hwmon_temp_max_celsius", "gauge", "Hardware monitor for temperature (max)",
       [(l, 84.0) for l, _ in hw])
family("node_hwmon_chip_names", "gauge", "Annotation metric for human-readable chip names",
       [({"chip": c, "chip_name": c.split("_")[1] if c.startswith("platform") else "nvme"}, 1) for c, _ in chips])

family("node_time_seconds", "gauge", "System time in seconds since epoch (1970).", [({}, 1.7324569876543212e+09)])
family("node_timex_offset_seconds", "gauge", "Time offset in between local system and reference clock.", [({}, -1.2345e-05)])
family("node_timex_sync_status", "gauge", "Is clock synchronized to a reliable server (1 = yes, 0 = no).", [({}, 1)])
family("node_uname_info", "gauge", "Labeled system information as provided by the uname system call.",
       [({"domainname": "(none)", "machine": "x86_64", "nodename": "gpu-node-07", "release": "6.1.0-27-amd64",
          "sysname": "Linux", "version": "#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)"}, 1)])
family("node_os_info", "gauge", "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.",
       [({"build_id": "", "id": "debian", "id_like": "", "image_id": "", "image_version": "", "name": "Debian GNU/Linux",
          "pretty_name": "Debian GNU/Linux 12 (bookworm)", "variant": "", "variant_id": "", "version": "12 (bookworm)",
          "version_codename": "bookworm", "version_id": "12"}, 1)])
VMSTAT = ["oom_kill", "pgfault", "pgmajfault", "pgpgin", "pgpgout", "pswpin", "pswpout"]
for s in VMSTAT:
    family(f"node_vmstat_{s}", "untyped", f"/proc/vmstat information field {s}.", [({}, rng.randrange(0, 10**10))])
family("node_textfile_scrape_error", "gauge", "1 if there was an error opening or reading a file, 0 otherwise", [({}, 0)])
family("node_textfile_mtime_seconds", "gauge", "Unixtime mtime of textfiles successfully read.",
       [({"file": "/var/lib/node_exporter/textfile/model_kpi.prom"}, 1.732456901e+09)])
family("model_predictions_total", "counter", "Predictions served, published via the textfile collector.",
       [({"model": m, "version": v}, rng.randrange(10**5, 10**7)) for m in ("churn", "fraud", "ranker") for v in ("v1", "v2")])

family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", [({}, 2104.51)])
family("process_max_fds", "gauge", "Maximum number of open file descriptors.", [({}, 1.048576e+06)])
family("process_open_fds", "gauge", "Number of open file descriptors.", [({}, 11)])
family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", [({}, 2.4285184e+07)])
family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", [({}, 1.73201125262e+09)])
family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", [({}, 1.276678144e+09)])
family("process_virtual_memory_max_bytes", "gauge", "Maximum amount of virtual memory available in bytes.", [({}, 1.8446744073709552e+19)])
family("promhttp_metric_handler_errors_total", "counter", "Total number of internal errors encountered by the promhttp metric handler.",
       [({"cause": "encoding"}, 0), ({"cause": "gathering"}, 0)])
family("promhttp_metric_handler_requests_in_flight", "gauge", "Current number of scrapes being served.", [({}, 1)])
family("promhttp_metric_handler_requests_total", "counter", "Total number of scrapes by HTTP status code.",
       [({"code": "200"}, 81734), ({"code": "500"}, 0), ({"code": "503"}, 0)])

sys.stdout.write("\n".join(out) + "\n")
