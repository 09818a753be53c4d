#include "stall_probe.h"

#include <algorithm>

namespace vigil {

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
    ++m_ticks;
}

} // namespace vigil
