#pragma once
// Number and name tokens shared by the exposition parsers and the query API decoder.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil::prom {

// A float the way Go's ParseFloat reads it, minus the Go 1.13 literal forms that
// Prometheus rejects (hex, "_", "0b", "0o"): decimal with optional sign and exponent,
// or NaN / [+-]Inf / [+-]Infinity in any case.
std::optional<double> parseFloat(std::string_view text);

// A decimal int64 with optional sign (Go's ParseInt with base 10).
std::optional<std::int64_t> parseInt64(std::string_view text);

// OpenMetrics timestamp: float seconds, finite, converted to milliseconds (rounded,
// saturated at the int64 range).
std::optional<std::int64_t> parseSecondsAsMs(std::string_view text);

// Seconds (finite) to milliseconds, rounded and saturated at the int64 range.
std::int64_t secondsToMsSaturated(double seconds);

// Character classes as a table: these run for every byte of every name.
namespace detail {
enum : unsigned char
{
    kLabelStart = 1,
    kLabelChar = 2,
    kMetricStart = 4,
    kMetricChar = 8,
};
inline constexpr auto kCharClass = [] {
    std::array<unsigned char, 256> t{};
    for (int c = 0; c < 256; ++c) {
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        t[c] = static_cast<unsigned char>(
            (alpha ? kLabelStart | kLabelChar | kMetricStart | kMetricChar : 0) |
            (digit ? kLabelChar | kMetricChar : 0) | (c == ':' ? kMetricStart | kMetricChar : 0));
    }
    return t;
}();
} // namespace detail

inline bool isMetricNameStart(char c)
{
    return detail::kCharClass[static_cast<unsigned char>(c)] & detail::kMetricStart;
}
inline bool isMetricNameChar(char c)
{
    return detail::kCharClass[static_cast<unsigned char>(c)] & detail::kMetricChar;
}
inline bool isLabelNameStart(char c)
{
    return detail::kCharClass[static_cast<unsigned char>(c)] & detail::kLabelStart;
}
inline bool isLabelNameChar(char c)
{
    return detail::kCharClass[static_cast<unsigned char>(c)] & detail::kLabelChar;
}
bool isValidMetricName(std::string_view name);
bool isValidLabelName(std::string_view name);

bool isValidUtf8(std::string_view text);
// Number of code points, assuming valid UTF-8.
std::size_t codePointCount(std::string_view text);

} // namespace vigil::prom
