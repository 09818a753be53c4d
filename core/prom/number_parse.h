#pragma once
// Number and name tokens shared by the exposition parsers and the query API decoder.
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

bool isMetricNameStart(char c);
bool isMetricNameChar(char c);
bool isLabelNameStart(char c);
bool isLabelNameChar(char c);
bool isValidMetricName(std::string_view name);
bool isValidLabelName(std::string_view name);

bool isValidUtf8(std::string_view text);
// Number of code points, assuming valid UTF-8.
std::size_t codePointCount(std::string_view text);

} // namespace vigil::prom
