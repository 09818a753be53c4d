#include "charts/time_axis.h"

#include <QDateTime>
#include <QTimeZone>

#include <array>
#include <cmath>

namespace vigil {

namespace {

constexpr double kSecond = 1'000.0;
constexpr double kMinute = 60'000.0;
constexpr double kHour = 60 * kMinute;
constexpr double kDay = 24 * kHour;

QString label(double ms, double step, double span)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(ms), QTimeZone::utc());
    if (step >= kDay)
        return t.toString(QStringLiteral("MMM d"));
    // Live resource samples span seconds to minutes.
    if (step < kMinute)
        return t.toString(QStringLiteral("HH:mm:ss"));
    // Within a day the hour is enough; midnight carries the date so a day change is visible.
    if (span < kDay)
        return t.time().msecsSinceStartOfDay() == 0 ? t.toString(QStringLiteral("MMM d"))
                                                    : t.toString(QStringLiteral("HH:mm"));
    return t.toString(QStringLiteral("MMM d HH:mm"));
}

} // namespace

std::vector<TimeTick> utcTicks(double minMs, double maxMs, int maxTicks)
{
    static constexpr std::array<double, 23> steps = {
        kSecond,  2 * kSecond, 5 * kSecond, 10 * kSecond, 15 * kSecond, 30 * kSecond,
        kMinute,  2 * kMinute, 5 * kMinute, 10 * kMinute, 15 * kMinute, 30 * kMinute,
        kHour,    2 * kHour,   3 * kHour,   6 * kHour,    12 * kHour,   kDay,
        2 * kDay, 7 * kDay,    14 * kDay,   30 * kDay,    91 * kDay};
    std::vector<TimeTick> ticks;
    if (!(maxMs > minMs) || maxTicks < 1)
        return ticks;
    const double span = maxMs - minMs;
    double step = steps.back();
    for (double s : steps) {
        if (span / s <= maxTicks) {
            step = s;
            break;
        }
    }
    // Labels with hours never repeat within one day's span, nor with a date part.
    for (double t = std::ceil(minMs / step) * step; t <= maxMs; t += step)
        ticks.push_back({t, label(t, step, span)});
    return ticks;
}

} // namespace vigil
