#pragma once
// Text shown to people: numbers with sensible precision, UTC times, byte rates.
#include <QString>

#include <cstdint>
#include <optional>

namespace vigil {

// Four significant digits below 1000, grouped integers above; "NaN", "+Inf" spelled out.
QString formatValue(double value);
QString formatOptional(const std::optional<double>& value);
// "2026-11-26 14:00 UTC"
QString formatUtc(std::int64_t epochMs, bool withSeconds = false);
QString formatCount(std::uint64_t count);
QString formatBytes(std::uint64_t bytes);

} // namespace vigil
