#pragma once
// Tumbling windows aligned to the UTC epoch.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

inline constexpr std::int64_t kMinuteMs = 60'000;
inline constexpr std::array<std::int64_t, 6> kWindowSizesMs = {
    kMinuteMs, 5 * kMinuteMs, 15 * kMinuteMs, 60 * kMinuteMs, 360 * kMinuteMs, 1440 * kMinuteMs};

// Floor to a multiple of windowMs, also for timestamps before 1970.
std::int64_t alignWindowStart(std::int64_t tsMs, std::int64_t windowMs);

// The smallest standard size giving at most 500 windows over [minTs, maxTs]
// (which then gives at least 50 whenever the span allows it).
std::int64_t chooseWindowMs(std::int64_t minTsMs, std::int64_t maxTsMs);

// "1m", "5m", "15m", "1h", "6h", "1d" (also any "<n>s|m|h|d" for custom sizes).
std::optional<std::int64_t> parseWindowSize(std::string_view text);
std::string formatWindowSize(std::int64_t windowMs);

} // namespace vigil
