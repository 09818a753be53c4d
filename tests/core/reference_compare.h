#pragma once
// Helpers shared by the tests that compare with numpy/sklearn reference JSON:
// null = undefined (nullopt), "nan"/"inf"/"-inf" strings = non-finite values.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

namespace vigil::test {

inline QJsonObject loadReference(const QString& relativePath)
{
    QFile file(QStringLiteral(VIGIL_TEST_DATA_DIR "/") + relativePath);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open reference %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).object();
}

inline double decodeNumber(const QJsonValue& v)
{
    if (v.isString()) {
        const QString s = v.toString();
        if (s == QLatin1String("nan"))
            return std::numeric_limits<double>::quiet_NaN();
        if (s == QLatin1String("inf"))
            return std::numeric_limits<double>::infinity();
        if (s == QLatin1String("-inf"))
            return -std::numeric_limits<double>::infinity();
        qFatal("bad number string %s", qPrintable(s));
    }
    return v.toDouble();
}

inline std::vector<double> decodeNumbers(const QJsonValue& v)
{
    std::vector<double> out;
    for (const QJsonValue& e : v.toArray())
        out.push_back(decodeNumber(e));
    return out;
}

// Relative tolerance 1e-9; an exact zero must come back as zero (or within 1e-15).
inline bool sameValue(std::optional<double> actual, const QJsonValue& expected, QString* why)
{
    if (expected.isNull() || expected.isUndefined()) {
        if (actual)
            *why = QStringLiteral("expected undefined, got %1").arg(*actual, 0, 'g', 17);
        return !actual;
    }
    const double e = decodeNumber(expected);
    if (!actual) {
        *why = QStringLiteral("expected %1, got undefined").arg(e, 0, 'g', 17);
        return false;
    }
    const double a = *actual;
    bool ok = false;
    if (std::isnan(e))
        ok = std::isnan(a);
    else if (std::isinf(e))
        ok = a == e;
    else if (e == 0.0)
        ok = std::abs(a) <= 1e-15;
    else
        ok = std::abs(a - e) <= 1e-9 * std::abs(e);
    if (!ok)
        *why = QStringLiteral("expected %1, got %2").arg(e, 0, 'g', 17).arg(a, 0, 'g', 17);
    return ok;
}

} // namespace vigil::test

#define VIGIL_COMPARE_VALUE(actual, expected, what)                                                          \
    do {                                                                                                     \
        QString why_;                                                                                        \
        if (!vigil::test::sameValue((actual), (expected), &why_))                                            \
            QFAIL(qPrintable(QStringLiteral(what) + QStringLiteral(": ") + why_));                           \
    } while (false)
