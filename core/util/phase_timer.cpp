#include "util/phase_timer.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>

namespace vigil {

namespace {

double processCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct Timeline
{
    std::mutex mutex;
    bool started = false;
    std::chrono::steady_clock::time_point origin;
    std::chrono::steady_clock::time_point last;
    double lastCpu = 0.0;
};

Timeline& timeline()
{
    static Timeline t;
    return t;
}

} // namespace

bool phaseTimingsEnabled()
{
    static const bool enabled = [] {
        const char* v = std::getenv("VIGIL_TIMINGS");
        return v && *v && *v != '0';
    }();
    return enabled;
}

void phaseMark(std::string_view phase)
{
    if (!phaseTimingsEnabled())
        return;
    Timeline& t = timeline();
    const std::lock_guard lock(t.mutex);
    const auto now = std::chrono::steady_clock::now();
    const double cpu = processCpuSeconds();
    if (!t.started) {
        // The first mark ends the phase from process start; the CPU clock counts from there.
        t.started = true;
        t.origin = now;
        t.last = now;
        std::fprintf(stderr, "vigil: timing %-28.*s at %7.3f s: %7.3f s cpu since start\n",
                     static_cast<int>(phase.size()), phase.data(), 0.0, cpu);
        t.lastCpu = cpu;
        return;
    }
    const double wall = std::chrono::duration<double>(now - t.last).count();
    const double used = cpu - t.lastCpu;
    std::fprintf(stderr, "vigil: timing %-28.*s at %7.3f s: %7.3f s wall %7.3f s cpu (%.2f cores)\n",
                 static_cast<int>(phase.size()), phase.data(),
                 std::chrono::duration<double>(now - t.origin).count(), wall, used,
                 wall > 0.0 ? used / wall : 0.0);
    t.last = now;
    t.lastCpu = cpu;
}

} // namespace vigil
