#include "prom/number_parse.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace vigil::prom {
namespace {

bool equalsNoCase(std::string_view a, std::string_view lowerB)
{
    if (a.size() != lowerB.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != lowerB[i])
            return false;
    }
    return true;
}

} // namespace

std::optional<double> parseFloat(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    bool negative = false;
    std::string_view body = text;
    if (body[0] == '+' || body[0] == '-') {
        negative = body[0] == '-';
        body.remove_prefix(1);
    }
    if (body.empty())
        return std::nullopt;
    const char first = body[0];
    if ((first < '0' || first > '9') && first != '.') {
        // Only the named values start with a letter; Go accepts no sign on NaN.
        if (equalsNoCase(body, "inf") || equalsNoCase(body, "infinity"))
            return negative ? -std::numeric_limits<double>::infinity()
                            : std::numeric_limits<double>::infinity();
        if (body.size() == text.size() && equalsNoCase(body, "nan"))
            return std::numeric_limits<double>::quiet_NaN();
        return std::nullopt;
    }
    // from_chars in "general" mode rejects hex, and stops at '_' or 'x', which the
    // full-consumption check below turns into an error.
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
    if (ptr != body.data() + body.size())
        return std::nullopt;
    if (ec == std::errc::result_out_of_range) {
        // Go's ParseFloat saturates to ±Inf or 0 (with an error Prometheus ignores
        // for huge counters); strtod does the same, from_chars leaves value untouched.
        const std::string copy(body);
        value = std::strtod(copy.c_str(), nullptr);
    } else if (ec != std::errc()) {
        return std::nullopt;
    }
    return negative ? -value : value;
}

std::optional<std::int64_t> parseInt64(std::string_view text)
{
    if (!text.empty() && text[0] == '+')
        text.remove_prefix(1);
    if (text.empty() || text[0] == '+')
        return std::nullopt;
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::optional<std::int64_t> parseSecondsAsMs(std::string_view text)
{
    const auto seconds = parseFloat(text);
    if (!seconds || !std::isfinite(*seconds))
        return std::nullopt;
    return secondsToMsSaturated(*seconds);
}

std::int64_t secondsToMsSaturated(double seconds)
{
    if (std::isnan(seconds))
        return 0;
    const double ms = std::round(seconds * 1000.0);
    // 2^63 is exactly representable; anything at or beyond it saturates.
    constexpr double kLimit = 9223372036854775808.0;
    if (ms >= kLimit)
        return std::numeric_limits<std::int64_t>::max();
    if (ms < -kLimit)
        return std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(ms);
}

bool isValidMetricName(std::string_view name)
{
    if (name.empty() || !isMetricNameStart(name[0]))
        return false;
    for (const char c : name)
        if (!isMetricNameChar(c))
            return false;
    return true;
}

bool isValidLabelName(std::string_view name)
{
    if (name.empty() || !isLabelNameStart(name[0]))
        return false;
    for (const char c : name)
        if (!isLabelNameChar(c))
            return false;
    return true;
}

bool isValidUtf8(std::string_view text)
{
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
        const unsigned c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int extra = 0;
        unsigned cp = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (end - p <= extra)
            return false;
        for (int i = 1; i <= extra; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        static constexpr unsigned kMin[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += extra + 1;
    }
    return true;
}

std::size_t codePointCount(std::string_view text)
{
    std::size_t n = 0;
    for (const char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++n;
    return n;
}

} // namespace vigil::prom
