#include "format.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

#include <cmath>

namespace vigil {

QString formatValue(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    if (std::abs(value) >= 1000.0)
        return QLocale::c().toString(value, 'f', 0);
    if (value == 0.0)
        return QStringLiteral("0");
    return QString::number(value, 'g', 4);
}

QString formatOptional(const std::optional<double>& value)
{
    return value ? formatValue(*value) : QStringLiteral("—");
}

QString formatUtc(std::int64_t epochMs, bool withSeconds)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(epochMs, QTimeZone::utc());
    return t.toString(withSeconds ? QStringLiteral("yyyy-MM-dd HH:mm:ss")
                                  : QStringLiteral("yyyy-MM-dd HH:mm")) +
           QStringLiteral(" UTC");
}

QString formatCount(std::uint64_t count)
{
    // Grouped ("12,345") so a tired reader can tell thousands from millions.
    QLocale locale = QLocale::c();
    locale.setNumberOptions({});
    return locale.toString(static_cast<qulonglong>(count));
}

QString formatBytes(std::uint64_t bytes)
{
    const double b = static_cast<double>(bytes);
    if (b >= 1e9)
        return QString::number(b / 1e9, 'f', 2) + QStringLiteral(" GB");
    if (b >= 1e6)
        return QString::number(b / 1e6, 'f', 1) + QStringLiteral(" MB");
    if (b >= 1e3)
        return QString::number(b / 1e3, 'f', 1) + QStringLiteral(" kB");
    return QString::number(bytes) + QStringLiteral(" B");
}

} // namespace vigil
