#pragma once
// The local resource sampler: CPU, memory, load, processes, disks and network from
// /proc, GPUs from NVML. Samples carry node_exporter / dcgm-exporter / client_golang
// metric names where those exist, so views treat local and scraped data alike; the
// rates between two samples are vigil_* series (see docs/SCRAPING.md).
#include "resources/nvml.h"
#include "resources/proc_parse.h"
#include "util/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace vigil {

struct ResourceSample
{
    std::string name;
    std::vector<std::pair<std::string, std::string>> labels; // sorted by name
    double value = 0.0;
};

struct ResourceSnapshot
{
    std::int64_t timestampMs = 0;
    std::vector<ResourceSample> samples;
    // Parts that could not be read (a vanished pid, a missing file); the rest is kept.
    std::vector<std::string> warnings;
    std::string gpuStatus;

    // First sample with this name whose labels include all of `labels`; nullptr if none.
    const ResourceSample* find(std::string_view name,
                               const std::vector<std::pair<std::string, std::string>>& labels = {}) const;
};

struct SamplerOptions
{
    std::string procRoot = "/proc"; // tests point this at fixture directories
    std::vector<int> pids;          // processes to watch besides the sampler itself
    bool includeSelf = true;        // reads <procRoot>/self
    long clockTicksPerSecond = 0;   // USER_HZ; 0 = sysconf(_SC_CLK_TCK)
    bool gpu = true;
    std::string nvmlLibrary = "libnvidia-ml.so.1";
};

class ResourceSampler
{
  public:
    explicit ResourceSampler(SamplerOptions options = {});
    ~ResourceSampler();

    // Reads everything at `nowMs` (the caller's clock, so tests control rate windows).
    // Rates need a previous sample and appear from the second call on. Errors only when
    // nothing at all could be read (e.g. procRoot does not exist).
    Result<ResourceSnapshot> sample(std::int64_t nowMs);

    void setProcRoot(std::string root) { m_options.procRoot = std::move(root); }
    const std::string& gpuStatus() const;

  private:
    struct Previous;
    SamplerOptions m_options;
    std::unique_ptr<NvmlGpus> m_gpus;
    std::unique_ptr<Previous> m_prev;
};

} // namespace vigil
