#pragma once
// Timestamps to UTC epoch milliseconds: epoch numbers in s/ms/us/ns and ISO-8601 text.
#include "ingest/schema.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil::ingest {

// s below 1e11 (year 5138), ms below 1e14, us below 1e17, else ns.
TimestampUnit unitForMagnitude(double value);

std::optional<std::int64_t> epochToMs(double value, TimestampUnit unit);
std::optional<std::int64_t> epochToMs(std::int64_t value, TimestampUnit unit);

// "2026-01-01T00:00:00Z", "2026-01-01 00:00:00.123+02:00", "...-0530", date only;
// no zone is read as UTC.
std::optional<std::int64_t> parseIso8601Ms(std::string_view text);

// Text holding either an epoch number or ISO-8601.
std::optional<std::int64_t> textTimestampToMs(std::string_view text, TimestampUnit unit);

} // namespace vigil::ingest
