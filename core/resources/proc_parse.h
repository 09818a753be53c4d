#pragma once
// Parsers for the Linux /proc files the local resource sampler reads. Each takes the
// file's text and returns plain numbers, so tests feed fixture text and compare exactly.
#include "util/result.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// One "cpu" / "cpuN" line of /proc/stat, in clock ticks (USER_HZ).
struct CpuTimes
{
    std::string cpu; // "" for the aggregate line, "0", "1", ... otherwise
    // user, nice, system, idle, iowait, irq, softirq, steal (kCpuModes order). guest
    // and guest_nice are already included in user and nice, as node_exporter notes.
    std::uint64_t ticks[8] = {};
};
inline constexpr const char* kCpuModes[8] = {"user",   "nice", "system",  "idle",
                                             "iowait", "irq",  "softirq", "steal"};

struct LoadAvg
{
    double load1 = 0.0;
    double load5 = 0.0;
    double load15 = 0.0;
};

// /proc/<pid>/stat fields a per-process view needs.
struct PidStat
{
    int pid = 0;
    std::string comm;
    std::uint64_t utimeTicks = 0;
    std::uint64_t stimeTicks = 0;
};

// /proc/diskstats per device; sectors are always 512 bytes there, whatever the disk.
struct DiskCounters
{
    std::string device;
    std::uint64_t sectorsRead = 0;
    std::uint64_t sectorsWritten = 0;
};

struct NetCounters
{
    std::string device;
    std::uint64_t receiveBytes = 0;
    std::uint64_t transmitBytes = 0;
};

Result<std::vector<CpuTimes>> parseProcStat(std::string_view text);
// Field name -> bytes ("kB" values multiplied by 1024, unit-less values as they are).
Result<std::map<std::string, double>> parseMeminfo(std::string_view text);
Result<LoadAvg> parseLoadavg(std::string_view text);
Result<PidStat> parsePidStat(std::string_view text);
// VmRSS in bytes; an error for kernel threads, which have no VmRSS line.
Result<double> parseVmRss(std::string_view text);
Result<std::vector<DiskCounters>> parseDiskstats(std::string_view text);
Result<std::vector<NetCounters>> parseNetDev(std::string_view text);

} // namespace vigil
