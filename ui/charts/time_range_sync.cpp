#include "charts/time_range_sync.h"

#include <algorithm>

namespace vigil {

TimeRangeSync::TimeRangeSync(QObject* parent) : QObject(parent) {}

void TimeRangeSync::setDataRange(double minMs, double maxMs)
{
    m_dataMin = minMs;
    m_dataMax = maxMs;
    if (m_zoomed)
        return;
    m_min = minMs;
    m_max = maxMs;
    emit rangeChanged(m_min, m_max);
}

void TimeRangeSync::setRange(double minMs, double maxMs)
{
    if (maxMs <= minMs)
        return;
    // A zoom smaller than a second carries no information for per-window data.
    if (maxMs - minMs < 1000.0)
        maxMs = minMs + 1000.0;
    if (minMs == m_min && maxMs == m_max)
        return;
    m_min = minMs;
    m_max = maxMs;
    m_zoomed = !(m_min <= m_dataMin && m_max >= m_dataMax);
    emit rangeChanged(m_min, m_max);
}

void TimeRangeSync::reset()
{
    m_zoomed = false;
    m_min = m_dataMin;
    m_max = m_dataMax;
    emit rangeChanged(m_min, m_max);
}

} // namespace vigil
