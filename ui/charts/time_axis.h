#pragma once
// UTC tick positions and labels for a time axis. Qt Charts' date-time axis formats in
// local time, and monitoring data is read in UTC, so the adapter places its own ticks.
#include <QString>

#include <vector>

namespace vigil {

struct TimeTick
{
    double ms = 0.0;
    QString label;
};

// Ticks at a round UTC step (1 s … 91 d) such that at most maxTicks fit in [minMs, maxMs].
// Labels are unique within the result and short enough to sit side by side.
std::vector<TimeTick> utcTicks(double minMs, double maxMs, int maxTicks);

} // namespace vigil
