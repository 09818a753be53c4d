#pragma once
// Shared by the tst_drift_* tests: reads tests/data/drift/reference.json (written by
// reference/make_drift_reference.py) and regenerates its samples bit-identically.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace drifttest {

inline QJsonObject loadReference()
{
    QFile file(QStringLiteral(VIGIL_TEST_DATA_DIR "/drift/reference.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

inline double decodeValue(const QJsonValue& v)
{
    if (v.isString()) {
        const QString s = v.toString();
        if (s == QLatin1String("nan"))
            return std::numeric_limits<double>::quiet_NaN();
        if (s == QLatin1String("inf"))
            return std::numeric_limits<double>::infinity();
        if (s == QLatin1String("-inf"))
            return -std::numeric_limits<double>::infinity();
    }
    return v.toDouble();
}

// Same LCG and arithmetic order as the Python script.
inline std::vector<double> generate(const QJsonObject& spec)
{
    const int n = spec.value(QLatin1String("n")).toInt();
    const bool irwin = spec.value(QLatin1String("dist")).toString() == QLatin1String("irwin");
    const double loc = spec.value(QLatin1String("loc")).toDouble();
    const double scale = spec.value(QLatin1String("scale")).toDouble();
    const double quantum = spec.value(QLatin1String("quantum")).toDouble();
    std::uint64_t state = static_cast<std::uint64_t>(spec.value(QLatin1String("seed")).toInteger());
    auto uniform = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) * (1.0 / 9007199254740992.0);
    };
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        double base = 0.0;
        if (irwin) {
            const double u1 = uniform();
            const double u2 = uniform();
            const double u3 = uniform();
            const double u4 = uniform();
            base = u1 + u2;
            base = base + u3;
            base = base + u4;
            base = base - 2.0;
        } else {
            base = uniform();
        }
        double v = loc + scale * base;
        if (quantum > 0.0)
            v = std::floor(v / quantum) * quantum;
        out.push_back(v);
    }
    return out;
}

inline std::vector<double> decodeSample(const QJsonObject& desc)
{
    std::vector<double> out;
    if (desc.contains(QLatin1String("gen")))
        out = generate(desc.value(QLatin1String("gen")).toObject());
    for (const auto& key : {QLatin1String("values"), QLatin1String("extra")})
        for (const auto& v : desc.value(key).toArray())
            out.push_back(decodeValue(v));
    return out;
}

inline std::optional<double> optionalNumber(const QJsonObject& o, const char* key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isNull() || v.isUndefined())
        return std::nullopt;
    return decodeValue(v);
}

// |actual - expected| <= rel * |expected| or <= abs.
inline bool close(double actual, double expected, double rel, double abs = 0.0)
{
    if (std::isinf(expected))
        return actual == expected;
    const double diff = std::abs(actual - expected);
    return diff <= rel * std::abs(expected) || diff <= abs;
}

} // namespace drifttest
