#include "stall_probe.h"

#include <algorithm>
#include <ctime>

namespace vigil {

namespace {
// CPU time of the calling thread (the GUI thread: tick() runs there), in microseconds.
qint64 threadCpuUs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<qint64>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1'000;
}
} // namespace

StallProbe::StallProbe(QObject* parent, int intervalMs) : QObject(parent), m_intervalMs(intervalMs)
{
    m_timer.setInterval(intervalMs);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &StallProbe::tick);
}

void StallProbe::start()
{
    m_longestGapMs = 0;
    m_ticks = 0;
    m_clock.start();
    m_lastMs = 0;
    m_longestBusyUs = 0;
    m_lastCpuUs = threadCpuUs();
    m_timer.start();
}

void StallProbe::stop()
{
    if (!m_timer.isActive())
        return;
    tick(); // a stall still in progress when stopped counts too
    m_timer.stop();
}

qint64 StallProbe::longestStallMs() const
{
    return std::max<qint64>(0, m_longestGapMs - m_intervalMs);
}

void StallProbe::tick()
{
    const qint64 now = m_clock.elapsed();
    m_longestGapMs = std::max(m_longestGapMs, now - m_lastMs);
    m_lastMs = now;
    const qint64 cpu = threadCpuUs();
    m_longestBusyUs = std::max(m_longestBusyUs, cpu - m_lastCpuUs);
    m_lastCpuUs = cpu;
    ++m_ticks;
}

} // namespace vigil
