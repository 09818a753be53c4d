#pragma once
// NVIDIA GPUs through NVML, loaded at run time with dlopen so that Vigil neither links
// against nor requires the driver library. Only the handful of entry points below are
// resolved, with Vigil's own minimal declarations of the NVML types (see nvml.cpp for
// the ABI relied on).
#include <memory>
#include <string>
#include <vector>

namespace vigil {

struct GpuReading
{
    unsigned index = 0;
    std::string name;
    // Each reading is optional per GPU: a field the device does not support is left out
    // (hasX false) instead of failing the whole GPU.
    bool hasUtilization = false;
    double gpuUtilPercent = 0.0;
    double memUtilPercent = 0.0;
    bool hasMemory = false;
    double memTotalBytes = 0.0;
    double memUsedBytes = 0.0;
    double memFreeBytes = 0.0;
    bool hasPower = false;
    double powerWatts = 0.0;
    bool hasTemperature = false;
    double temperatureC = 0.0;
};

class NvmlGpus
{
  public:
    // Loads `library` and calls nvmlInit_v2. Never throws; check available()/status().
    explicit NvmlGpus(const std::string& library = "libnvidia-ml.so.1");
    ~NvmlGpus();
    NvmlGpus(const NvmlGpus&) = delete;
    NvmlGpus& operator=(const NvmlGpus&) = delete;

    bool available() const { return m_ok; }
    // "NVML ok: 2 GPUs" or why not, e.g. "NVML not available: libnvidia-ml.so.1 not found".
    const std::string& status() const { return m_status; }
    // Empty when unavailable. Per-call failures of one field are skipped silently.
    std::vector<GpuReading> read() const;

  private:
    struct Api;
    std::unique_ptr<Api> m_api;
    void* m_lib = nullptr;
    bool m_ok = false;
    std::string m_status;
};

} // namespace vigil
