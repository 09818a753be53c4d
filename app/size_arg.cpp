#include "size_arg.h"

#include <cmath>

namespace vigil::cli {

std::optional<std::uint64_t> parseByteSize(const QString& text)
{
    QString t = text.trimmed().toUpper();
    if (t.endsWith(QStringLiteral("IB")))
        t.chop(2);
    else if (t.endsWith(QLatin1Char('B')))
        t.chop(1);
    double scale = 1.0;
    if (!t.isEmpty()) {
        const QString units = QStringLiteral("KMGT");
        const qsizetype unit = units.indexOf(t.back());
        if (unit >= 0) {
            scale = std::pow(1024.0, static_cast<double>(unit + 1));
            t.chop(1);
        }
    }
    bool ok = false;
    const double value = t.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0.0 || value * scale > 1.8e19)
        return std::nullopt;
    return static_cast<std::uint64_t>(std::llround(value * scale));
}

} // namespace vigil::cli
