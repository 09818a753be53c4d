#include "resources/nvml.h"

#include <dlfcn.h>

namespace vigil {
namespace {

// The NVML ABI this file relies on (nvml.h, stable since the _v2 entry points of
// driver 325 / CUDA 5.5): return codes are a C enum (int) with NVML_SUCCESS == 0;
// nvmlDevice_t is an opaque pointer; nvmlUtilization_t is {unsigned gpu, memory} in
// percent; nvmlMemory_t is {unsigned long long total, free, used} in bytes; power is
// unsigned milliwatts; NVML_TEMPERATURE_GPU == 0 and degrees C as unsigned; device
// names fit NVML_DEVICE_NAME_V2_BUFFER_SIZE (96) bytes.
using nvmlReturn_t = int;
using nvmlDevice_t = struct nvmlDevice_st*;
struct nvmlUtilization_t
{
    unsigned int gpu;
    unsigned int memory;
};
struct nvmlMemory_t
{
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
};
constexpr nvmlReturn_t kNvmlSuccess = 0;
constexpr int kNvmlTemperatureGpu = 0;
constexpr unsigned kNameBufferSize = 96;

} // namespace

struct NvmlGpus::Api
{
    nvmlReturn_t (*init)() = nullptr;
    nvmlReturn_t (*shutdown)() = nullptr;
    nvmlReturn_t (*getCount)(unsigned int*) = nullptr;
    nvmlReturn_t (*getHandle)(unsigned int, nvmlDevice_t*) = nullptr;
    nvmlReturn_t (*getName)(nvmlDevice_t, char*, unsigned int) = nullptr;
    nvmlReturn_t (*getUtilization)(nvmlDevice_t, nvmlUtilization_t*) = nullptr;
    nvmlReturn_t (*getMemory)(nvmlDevice_t, nvmlMemory_t*) = nullptr;
    nvmlReturn_t (*getPower)(nvmlDevice_t, unsigned int*) = nullptr;
    nvmlReturn_t (*getTemperature)(nvmlDevice_t, int, unsigned int*) = nullptr;
};

namespace {

template <typename Fn> bool resolve(void* lib, const char* symbol, Fn& into, std::string& missing)
{
    void* p = dlsym(lib, symbol);
    if (!p) {
        missing = symbol;
        return false;
    }
    into = reinterpret_cast<Fn>(p);
    return true;
}

} // namespace

NvmlGpus::NvmlGpus(const std::string& library) : m_api(std::make_unique<Api>())
{
    m_lib = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!m_lib) {
        m_status = "NVML not available: " + library + " not found";
        return;
    }
    std::string missing;
    Api& a = *m_api;
    const bool all = resolve(m_lib, "nvmlInit_v2", a.init, missing) &&
                     resolve(m_lib, "nvmlShutdown", a.shutdown, missing) &&
                     resolve(m_lib, "nvmlDeviceGetCount_v2", a.getCount, missing) &&
                     resolve(m_lib, "nvmlDeviceGetHandleByIndex_v2", a.getHandle, missing) &&
                     resolve(m_lib, "nvmlDeviceGetName", a.getName, missing) &&
                     resolve(m_lib, "nvmlDeviceGetUtilizationRates", a.getUtilization, missing) &&
                     resolve(m_lib, "nvmlDeviceGetMemoryInfo", a.getMemory, missing) &&
                     resolve(m_lib, "nvmlDeviceGetPowerUsage", a.getPower, missing) &&
                     resolve(m_lib, "nvmlDeviceGetTemperature", a.getTemperature, missing);
    if (!all) {
        m_status = "NVML not available: " + library + " has no " + missing;
        return;
    }
    if (const nvmlReturn_t rc = a.init(); rc != kNvmlSuccess) {
        m_status = "NVML not available: nvmlInit_v2 failed (code " + std::to_string(rc) + ")";
        a.shutdown = nullptr; // nothing to shut down
        return;
    }
    unsigned count = 0;
    a.getCount(&count);
    m_ok = true;
    m_status = "NVML ok: " + std::to_string(count) + (count == 1 ? " GPU" : " GPUs");
}

NvmlGpus::~NvmlGpus()
{
    if (m_ok && m_api->shutdown)
        m_api->shutdown();
    if (m_lib)
        dlclose(m_lib);
}

std::vector<GpuReading> NvmlGpus::read() const
{
    std::vector<GpuReading> out;
    if (!m_ok)
        return out;
    const Api& a = *m_api;
    unsigned count = 0;
    if (a.getCount(&count) != kNvmlSuccess)
        return out;
    for (unsigned i = 0; i < count; ++i) {
        nvmlDevice_t dev = nullptr;
        if (a.getHandle(i, &dev) != kNvmlSuccess)
            continue;
        GpuReading r;
        r.index = i;
        char name[kNameBufferSize] = {};
        if (a.getName(dev, name, kNameBufferSize) == kNvmlSuccess)
            r.name = name;
        nvmlUtilization_t util{};
        if (a.getUtilization(dev, &util) == kNvmlSuccess) {
            r.hasUtilization = true;
            r.gpuUtilPercent = util.gpu;
            r.memUtilPercent = util.memory;
        }
        nvmlMemory_t mem{};
        if (a.getMemory(dev, &mem) == kNvmlSuccess) {
            r.hasMemory = true;
            r.memTotalBytes = static_cast<double>(mem.total);
            r.memUsedBytes = static_cast<double>(mem.used);
            r.memFreeBytes = static_cast<double>(mem.free);
        }
        unsigned mw = 0;
        if (a.getPower(dev, &mw) == kNvmlSuccess) {
            r.hasPower = true;
            r.powerWatts = mw / 1000.0;
        }
        unsigned temp = 0;
        if (a.getTemperature(dev, kNvmlTemperatureGpu, &temp) == kNvmlSuccess) {
            r.hasTemperature = true;
            r.temperatureC = temp;
        }
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace vigil
