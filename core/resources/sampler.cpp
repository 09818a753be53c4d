#include "resources/sampler.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <unistd.h>

namespace vigil {

struct ResourceSampler::Previous
{
    std::int64_t timestampMs = 0;
    std::optional<CpuTimes> cpu;
    std::map<int, std::uint64_t> procTicks;
    std::map<std::string, DiskCounters> disks;
    std::map<std::string, NetCounters> nets;
};

namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

std::optional<std::string> readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void add(ResourceSnapshot& s, std::string name, Labels labels, double value)
{
    std::sort(labels.begin(), labels.end());
    s.samples.push_back({std::move(name), std::move(labels), value});
}

double sumTicks(const CpuTimes& t)
{
    double sum = 0.0;
    for (const auto v : t.ticks)
        sum += static_cast<double>(v);
    return sum;
}

// Counters can go backwards (device re-plugged, pid reuse): no rate then, not a negative one.
std::optional<double> perSecond(std::uint64_t now, std::uint64_t before, double seconds)
{
    if (now < before || seconds <= 0.0)
        return std::nullopt;
    return static_cast<double>(now - before) / seconds;
}

} // namespace

const ResourceSample*
ResourceSnapshot::find(std::string_view name,
                       const std::vector<std::pair<std::string, std::string>>& labels) const
{
    for (const auto& s : samples) {
        if (s.name != name)
            continue;
        const bool all = std::all_of(labels.begin(), labels.end(), [&](const auto& l) {
            return std::find(s.labels.begin(), s.labels.end(), l) != s.labels.end();
        });
        if (all)
            return &s;
    }
    return nullptr;
}

ResourceSampler::ResourceSampler(SamplerOptions options)
    : m_options(std::move(options)), m_prev(std::make_unique<Previous>())
{
    if (m_options.clockTicksPerSecond <= 0)
        m_options.clockTicksPerSecond = sysconf(_SC_CLK_TCK);
    if (m_options.gpu)
        m_gpus = std::make_unique<NvmlGpus>(m_options.nvmlLibrary);
}

ResourceSampler::~ResourceSampler() = default;

const std::string& ResourceSampler::gpuStatus() const
{
    static const std::string off = "GPU sampling off";
    return m_gpus ? m_gpus->status() : off;
}

Result<ResourceSnapshot> ResourceSampler::sample(std::int64_t nowMs)
{
    ResourceSnapshot snap;
    snap.timestampMs = nowMs;
    snap.gpuStatus = gpuStatus();
    Previous next;
    next.timestampMs = nowMs;
    const std::string& root = m_options.procRoot;
    const double hz = static_cast<double>(m_options.clockTicksPerSecond);
    const bool havePrev = m_prev->timestampMs != 0 && nowMs > m_prev->timestampMs;
    const double dt = havePrev ? (nowMs - m_prev->timestampMs) / 1000.0 : 0.0;
    int readOk = 0;

    auto read = [&](const std::string& rel) -> std::optional<std::string> {
        auto text = readFile(root + "/" + rel);
        if (!text)
            snap.warnings.push_back("cannot read " + root + "/" + rel);
        return text;
    };
    auto warn = [&](const Error& e) { snap.warnings.push_back(e.message); };

    if (auto text = read("stat")) {
        if (auto cpus = parseProcStat(*text)) {
            ++readOk;
            for (const auto& c : cpus.value()) {
                if (c.cpu.empty())
                    continue;
                for (int m = 0; m < 8; ++m)
                    add(snap, "node_cpu_seconds_total", {{"cpu", c.cpu}, {"mode", kCpuModes[m]}},
                        static_cast<double>(c.ticks[m]) / hz);
            }
            const CpuTimes& all = cpus.value().front();
            if (havePrev && m_prev->cpu) {
                // Share of all CPU time per mode: what `top` shows as us/sy/id/wa...
                const double total = sumTicks(all) - sumTicks(*m_prev->cpu);
                for (int m = 0; m < 8 && total > 0.0; ++m) {
                    if (all.ticks[m] >= m_prev->cpu->ticks[m])
                        add(snap, "vigil_cpu_mode_ratio", {{"mode", kCpuModes[m]}},
                            static_cast<double>(all.ticks[m] - m_prev->cpu->ticks[m]) / total);
                }
            }
            next.cpu = all;
        } else {
            warn(cpus.error());
        }
    }

    if (auto text = read("meminfo")) {
        if (auto mem = parseMeminfo(*text)) {
            ++readOk;
            const auto& m = mem.value();
            for (const char* field : {"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached"}) {
                if (auto it = m.find(field); it != m.end())
                    add(snap, std::string("node_memory_") + field + "_bytes", {}, it->second);
            }
            if (auto avail = m.find("MemAvailable"); avail != m.end())
                add(snap, "vigil_memory_used_bytes", {}, m.at("MemTotal") - avail->second);
        } else {
            warn(mem.error());
        }
    }

    if (auto text = read("loadavg")) {
        if (auto load = parseLoadavg(*text)) {
            ++readOk;
            add(snap, "node_load1", {}, load->load1);
            add(snap, "node_load5", {}, load->load5);
            add(snap, "node_load15", {}, load->load15);
        } else {
            warn(load.error());
        }
    }

    std::vector<std::string> procDirs;
    if (m_options.includeSelf)
        procDirs.push_back("self");
    for (const int pid : m_options.pids)
        procDirs.push_back(std::to_string(pid));
    for (const auto& dir : procDirs) {
        auto statText = readFile(root + "/" + dir + "/stat");
        if (!statText) {
            snap.warnings.push_back("process " + dir + ": not running (no " + root + "/" + dir + "/stat)");
            continue;
        }
        auto st = parsePidStat(*statText);
        if (!st) {
            warn(st.error());
            continue;
        }
        const Labels labels{{"pid", std::to_string(st->pid)}, {"comm", st->comm}};
        const std::uint64_t ticks = st->utimeTicks + st->stimeTicks;
        add(snap, "process_cpu_seconds_total", labels, static_cast<double>(ticks) / hz);
        if (auto it = m_prev->procTicks.find(st->pid); havePrev && it != m_prev->procTicks.end()) {
            if (auto r = perSecond(ticks, it->second, dt))
                add(snap, "vigil_process_cpu_percent", labels, *r / hz * 100.0);
        }
        next.procTicks[st->pid] = ticks;
        if (auto statusText = readFile(root + "/" + dir + "/status")) {
            if (auto rss = parseVmRss(*statusText))
                add(snap, "process_resident_memory_bytes", labels, rss.value());
        }
    }

    if (auto text = read("diskstats")) {
        if (auto disks = parseDiskstats(*text)) {
            ++readOk;
            for (const auto& d : disks.value()) {
                const Labels l{{"device", d.device}};
                add(snap, "node_disk_read_bytes_total", l, d.sectorsRead * 512.0);
                add(snap, "node_disk_written_bytes_total", l, d.sectorsWritten * 512.0);
                if (auto it = m_prev->disks.find(d.device); havePrev && it != m_prev->disks.end()) {
                    if (auto r = perSecond(d.sectorsRead, it->second.sectorsRead, dt))
                        add(snap, "vigil_disk_read_bytes_per_second", l, *r * 512.0);
                    if (auto r = perSecond(d.sectorsWritten, it->second.sectorsWritten, dt))
                        add(snap, "vigil_disk_written_bytes_per_second", l, *r * 512.0);
                }
                next.disks[d.device] = d;
            }
        } else {
            warn(disks.error());
        }
    }

    if (auto text = read("net/dev")) {
        if (auto nets = parseNetDev(*text)) {
            ++readOk;
            for (const auto& n : nets.value()) {
                const Labels l{{"device", n.device}};
                add(snap, "node_network_receive_bytes_total", l, static_cast<double>(n.receiveBytes));
                add(snap, "node_network_transmit_bytes_total", l, static_cast<double>(n.transmitBytes));
                if (auto it = m_prev->nets.find(n.device); havePrev && it != m_prev->nets.end()) {
                    if (auto r = perSecond(n.receiveBytes, it->second.receiveBytes, dt))
                        add(snap, "vigil_network_receive_bytes_per_second", l, *r);
                    if (auto r = perSecond(n.transmitBytes, it->second.transmitBytes, dt))
                        add(snap, "vigil_network_transmit_bytes_per_second", l, *r);
                }
                next.nets[n.device] = n;
            }
        } else {
            warn(nets.error());
        }
    }

    if (m_gpus) {
        for (const auto& g : m_gpus->read()) {
            // dcgm-exporter's names and units: percent, MiB, W, degrees C.
            const Labels l{{"gpu", std::to_string(g.index)}, {"modelName", g.name}};
            if (g.hasUtilization) {
                add(snap, "DCGM_FI_DEV_GPU_UTIL", l, g.gpuUtilPercent);
                add(snap, "DCGM_FI_DEV_MEM_COPY_UTIL", l, g.memUtilPercent);
            }
            if (g.hasMemory) {
                add(snap, "DCGM_FI_DEV_FB_USED", l, g.memUsedBytes / 1048576.0);
                add(snap, "DCGM_FI_DEV_FB_FREE", l, g.memFreeBytes / 1048576.0);
            }
            if (g.hasPower)
                add(snap, "DCGM_FI_DEV_POWER_USAGE", l, g.powerWatts);
            if (g.hasTemperature)
                add(snap, "DCGM_FI_DEV_GPU_TEMP", l, g.temperatureC);
        }
    }

    if (readOk == 0)
        return Error{"no system resource could be read under " + root +
                     (snap.warnings.empty() ? std::string() : " (" + snap.warnings.front() + ")")};
    *m_prev = std::move(next);
    Result<ResourceSnapshot> out(std::move(snap));
    return out;
}

} // namespace vigil
