#include "ingest/timestamp.h"

#include "ingest/text_util.h"

#include <charconv>
#include <cmath>

namespace vigil::ingest {

TimestampUnit unitForMagnitude(double value)
{
    const double magnitude = std::fabs(value);
    if (magnitude < 1e11)
        return TimestampUnit::Seconds;
    if (magnitude < 1e14)
        return TimestampUnit::Millis;
    if (magnitude < 1e17)
        return TimestampUnit::Micros;
    return TimestampUnit::Nanos;
}

std::optional<std::int64_t> epochToMs(double value, TimestampUnit unit)
{
    if (!std::isfinite(value))
        return std::nullopt;
    if (unit == TimestampUnit::Auto || unit == TimestampUnit::Iso8601)
        unit = unitForMagnitude(value);
    double ms = value;
    switch (unit) {
    case TimestampUnit::Seconds:
        ms = value * 1e3;
        break;
    case TimestampUnit::Micros:
        ms = value / 1e3;
        break;
    case TimestampUnit::Nanos:
        ms = value / 1e6;
        break;
    default:
        break;
    }
    // Beyond +-2^62 ms nothing meaningful is left (and llround would overflow).
    if (!(std::fabs(ms) < 4.0e18))
        return std::nullopt;
    return static_cast<std::int64_t>(std::floor(ms + 0.5));
}

std::optional<std::int64_t> epochToMs(std::int64_t value, TimestampUnit unit)
{
    if (unit == TimestampUnit::Auto || unit == TimestampUnit::Iso8601)
        unit = unitForMagnitude(static_cast<double>(value));
    // Integer division keeps ns/us exact; floor so that times before 1970 round down too.
    auto floorDiv = [](std::int64_t a, std::int64_t b) {
        std::int64_t q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0)))
            --q;
        return q;
    };
    switch (unit) {
    case TimestampUnit::Seconds:
        if (value > 4'000'000'000'000'000LL || value < -4'000'000'000'000'000LL)
            return std::nullopt;
        return value * 1000;
    case TimestampUnit::Micros:
        return floorDiv(value, 1000);
    case TimestampUnit::Nanos:
        return floorDiv(value, 1'000'000);
    default:
        return value;
    }
}

namespace {

// Howard Hinnant's days_from_civil: proleptic Gregorian date to days since 1970-01-01.
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool readDigits(std::string_view text, std::size_t& pos, std::size_t count, int& out)
{
    if (pos + count > text.size())
        return false;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    pos += count;
    out = value;
    return true;
}

} // namespace

std::optional<std::int64_t> parseIso8601Ms(std::string_view text)
{
    text = trimSpaces(text);
    std::size_t pos = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!readDigits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' ||
        !readDigits(text, pos, 2, month) || pos >= text.size() || text[pos++] != '-' ||
        !readDigits(text, pos, 2, day))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return std::nullopt;
    double fraction = 0.0;
    if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
        ++pos;
        if (!readDigits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
            !readDigits(text, pos, 2, minute))
            return std::nullopt;
        if (pos < text.size() && text[pos] == ':') {
            ++pos;
            if (!readDigits(text, pos, 2, second))
                return std::nullopt;
            if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
                ++pos;
                double scale = 0.1;
                const std::size_t start = pos;
                while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
                    fraction += (text[pos] - '0') * scale;
                    scale /= 10;
                    ++pos;
                }
                if (pos == start)
                    return std::nullopt;
            }
        }
        if (hour > 23 || minute > 59 || second > 60)
            return std::nullopt;
    }
    std::int64_t offsetMinutes = 0;
    if (pos < text.size()) {
        const char zone = text[pos];
        if (zone == 'Z' || zone == 'z') {
            ++pos;
        } else if (zone == '+' || zone == '-') {
            ++pos;
            int oh = 0, om = 0;
            if (!readDigits(text, pos, 2, oh))
                return std::nullopt;
            if (pos < text.size() && text[pos] == ':')
                ++pos;
            if (pos < text.size() && !readDigits(text, pos, 2, om))
                return std::nullopt;
            if (oh > 23 || om > 59)
                return std::nullopt;
            offsetMinutes = (zone == '+' ? 1 : -1) * (oh * 60 + om);
        }
    }
    if (pos != text.size())
        return std::nullopt;
    const std::int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
    return seconds * 1000 + static_cast<std::int64_t>(std::floor(fraction * 1000.0 + 1e-6));
}

std::optional<std::int64_t> textTimestampToMs(std::string_view text, TimestampUnit unit)
{
    text = trimSpaces(text);
    if (text.empty())
        return std::nullopt;
    std::int64_t integer = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
    if (ec == std::errc() && ptr == text.data() + text.size())
        return epochToMs(integer, unit);
    if (auto number = parseNumberText(text))
        return epochToMs(*number, unit);
    return parseIso8601Ms(text);
}

} // namespace vigil::ingest
