// A stand-in libnvidia-ml for tst_resources: the nine NVML entry points Vigil resolves,
// with fixed readings, so the dlopen path, the ABI declarations and the unit
// conversions are tested on machines without an NVIDIA driver. Two GPUs; GPU 1 does
// not report power (NVML_ERROR_NOT_SUPPORTED = 3). FAKE_NVML_INIT_FAIL makes init fail
// with NVML_ERROR_DRIVER_NOT_LOADED (9).
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {
struct Utilization
{
    unsigned int gpu;
    unsigned int memory;
};
struct Memory
{
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
};
int index(void* device)
{
    return static_cast<int>(reinterpret_cast<std::uintptr_t>(device)) - 1;
}
} // namespace

extern "C" {
int nvmlInit_v2()
{
    return std::getenv("FAKE_NVML_INIT_FAIL") ? 9 : 0;
}
int nvmlShutdown()
{
    return 0;
}
int nvmlDeviceGetCount_v2(unsigned int* count)
{
    *count = 2;
    return 0;
}
int nvmlDeviceGetHandleByIndex_v2(unsigned int i, void** device)
{
    if (i >= 2)
        return 2; // NVML_ERROR_INVALID_ARGUMENT
    *device = reinterpret_cast<void*>(static_cast<std::uintptr_t>(i + 1));
    return 0;
}
int nvmlDeviceGetName(void* device, char* name, unsigned int length)
{
    std::snprintf(name, length, "Fake GPU %d", index(device));
    return 0;
}
int nvmlDeviceGetUtilizationRates(void* device, Utilization* u)
{
    u->gpu = index(device) == 0 ? 87 : 3;
    u->memory = index(device) == 0 ? 41 : 0;
    return 0;
}
int nvmlDeviceGetMemoryInfo(void* device, Memory* m)
{
    m->total = 85899345920ULL; // 80 GiB
    m->used = index(device) == 0 ? 21474836480ULL : 524288000ULL;
    m->free = m->total - m->used;
    return 0;
}
int nvmlDeviceGetPowerUsage(void* device, unsigned int* milliwatts)
{
    if (index(device) == 1)
        return 3;
    *milliwatts = 312500;
    return 0;
}
int nvmlDeviceGetTemperature(void* device, int sensor, unsigned int* celsius)
{
    if (sensor != 0)
        return 2;
    *celsius = index(device) == 0 ? 65 : 34;
    return 0;
}
}
