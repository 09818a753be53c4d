#pragma once
// Times and durations on the command line of `vigil query`.
#include <QString>
#include <cstdint>
#include <optional>

namespace vigil::cli {

// "15s", "500ms", "5m", "1h", "1d", "1w", or a plain number of seconds ("1.5") ->
// milliseconds; nullopt when not a duration (negative included).
std::optional<std::int64_t> parseDurationMs(const QString& text);

// A point in time as unix milliseconds: ISO-8601 ("2026-11-26T17:00:00Z", an offset, or
// no zone = UTC), unix seconds ("1764176400", "1764176400.25"), unix milliseconds (13+
// digits), "now", or "now-1h" / "now+30m". nowMs is the "now" used.
std::optional<std::int64_t> parseTimeMs(const QString& text, std::int64_t nowMs);

} // namespace vigil::cli
