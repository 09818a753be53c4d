#include "cli_time.h"

#include <QDateTime>
#include <QTimeZone>
#include <cmath>

namespace vigil::cli {

std::optional<std::int64_t> parseDurationMs(const QString& text)
{
    const QString s = text.trimmed();
    static const std::pair<const char*, double> kUnits[] = {
        {"ms", 1.0}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3}, {"d", 86400e3}, {"w", 604800e3},
    };
    QString number = s;
    double factor = 1e3;
    for (const auto& [unit, f] : kUnits) {
        if (s.endsWith(QLatin1String(unit))) {
            number = s.chopped(static_cast<int>(std::char_traits<char>::length(unit)));
            factor = f;
            break;
        }
    }
    bool ok = false;
    const double v = number.toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < 0 || number.isEmpty() || !(number[0].isDigit() || number[0] == u'.'))
        return std::nullopt;
    return std::llround(v * factor);
}

std::optional<std::int64_t> parseTimeMs(const QString& text, std::int64_t nowMs)
{
    const QString s = text.trimmed();
    if (s == QLatin1String("now"))
        return nowMs;
    if (s.startsWith(QLatin1String("now-")) || s.startsWith(QLatin1String("now+"))) {
        const auto d = parseDurationMs(s.mid(4));
        if (!d)
            return std::nullopt;
        return s[3] == u'-' ? nowMs - *d : nowMs + *d;
    }
    bool ok = false;
    const double number = s.toDouble(&ok);
    if (ok && std::isfinite(number)) {
        const QString digits = s.startsWith(u'-') ? s.mid(1) : s;
        // 13 digits and more are milliseconds: 10^12 ms is 2001, 10^12 s is year 33658.
        if (!digits.contains(u'.') && digits.size() >= 13)
            return s.toLongLong(&ok);
        return std::llround(number * 1000.0);
    }
    QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    if (t.timeSpec() == Qt::LocalTime)
        t.setTimeZone(QTimeZone::utc()); // no zone given: UTC, not this machine's zone
    return t.toMSecsSinceEpoch();
}

} // namespace vigil::cli
