#include "engine/window.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

namespace vigil {
namespace {

constexpr std::int64_t kSecondMs = 1000;
constexpr std::int64_t kHourMs = 60 * kMinuteMs;
constexpr std::int64_t kDayMs = 24 * kHourMs;
constexpr std::int64_t kMaxWindows = 500;

std::uint64_t spanMs(std::int64_t from, std::int64_t to)
{
    return static_cast<std::uint64_t>(to) - static_cast<std::uint64_t>(from);
}

std::int64_t windowCount(std::int64_t minTsMs, std::int64_t maxTsMs, std::int64_t windowMs)
{
    // Unsigned difference: exact for any last >= first, even across the whole int64 range.
    const std::uint64_t span =
        spanMs(alignWindowStart(minTsMs, windowMs), alignWindowStart(maxTsMs, windowMs));
    const std::uint64_t count = span / static_cast<std::uint64_t>(windowMs) + 1;
    return static_cast<std::int64_t>(
        std::min<std::uint64_t>(count, std::numeric_limits<std::int64_t>::max()));
}

} // namespace

std::int64_t alignWindowStart(std::int64_t tsMs, std::int64_t windowMs)
{
    if (windowMs <= 0)
        return tsMs;
    std::int64_t q = tsMs / windowMs;
    if (tsMs % windowMs != 0 && tsMs < 0)
        --q; // C++ division truncates toward zero; windows floor
    return q * windowMs;
}

std::int64_t chooseWindowMs(std::int64_t minTsMs, std::int64_t maxTsMs)
{
    if (maxTsMs < minTsMs)
        std::swap(minTsMs, maxTsMs);
    for (std::int64_t size : kWindowSizesMs) {
        if (windowCount(minTsMs, maxTsMs, size) <= kMaxWindows)
            return size;
    }
    // Past 500 days no standard size fits: whole days, as few as keep the cap.
    const auto spanDays = static_cast<std::int64_t>(spanMs(minTsMs, maxTsMs) / kDayMs);
    std::int64_t days = std::max<std::int64_t>(2, spanDays / kMaxWindows);
    while (windowCount(minTsMs, maxTsMs, days * kDayMs) > kMaxWindows)
        ++days;
    return days * kDayMs;
}

std::optional<std::int64_t> parseWindowSize(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);

    std::int64_t unit = 0;
    std::size_t suffix = 1;
    if (text.ends_with("ms")) {
        unit = 1;
        suffix = 2;
    } else if (text.ends_with('s')) {
        unit = kSecondMs;
    } else if (text.ends_with('m')) {
        unit = kMinuteMs;
    } else if (text.ends_with('h')) {
        unit = kHourMs;
    } else if (text.ends_with('d')) {
        unit = kDayMs;
    } else {
        return std::nullopt;
    }
    const std::string_view digits = text.substr(0, text.size() - suffix);
    // Only plain decimal digits: from_chars would accept a leading '-'.
    if (digits.empty() ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc{} || end != digits.data() + digits.size() || n <= 0)
        return std::nullopt;
    if (n > std::numeric_limits<std::int64_t>::max() / unit)
        return std::nullopt;
    return n * unit;
}

std::string formatWindowSize(std::int64_t windowMs)
{
    if (windowMs <= 0)
        return std::to_string(windowMs) + "ms";
    if (windowMs % kDayMs == 0)
        return std::to_string(windowMs / kDayMs) + "d";
    if (windowMs % kHourMs == 0)
        return std::to_string(windowMs / kHourMs) + "h";
    if (windowMs % kMinuteMs == 0)
        return std::to_string(windowMs / kMinuteMs) + "m";
    if (windowMs % kSecondMs == 0)
        return std::to_string(windowMs / kSecondMs) + "s";
    return std::to_string(windowMs) + "ms";
}

} // namespace vigil
