#include "ingest/text_util.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace vigil::ingest {

namespace {
char lowerAscii(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
} // namespace

bool iequals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lowerAscii(a[i]) != lowerAscii(b[i]))
            return false;
    }
    return true;
}

std::string toLower(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        c = lowerAscii(c);
    return out;
}

std::string_view trimSpaces(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

bool isNonFiniteText(std::string_view text)
{
    static constexpr std::string_view kTokens[] = {"nan",  "-nan",     "inf",       "+inf",
                                                   "-inf", "infinity", "+infinity", "-infinity"};
    for (std::string_view token : kTokens) {
        if (iequals(text, token))
            return true;
    }
    return false;
}

std::optional<double> parseNumberText(std::string_view text)
{
    text = trimSpaces(text);
    if (text.empty())
        return std::nullopt;
    if (isNonFiniteText(text)) {
        const bool negative = text.front() == '-';
        if (lowerAscii(text[negative || text.front() == '+' ? 1 : 0]) == 'n')
            return std::numeric_limits<double>::quiet_NaN();
        return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    }
    const char* begin = text.data();
    if (*begin == '+')
        ++begin;
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range && ptr == text.data() + text.size())
        return value; // from_chars leaves value unchanged; treat overflow as the nearest representable
    if (ec != std::errc() || ptr != text.data() + text.size())
        return std::nullopt;
    return value;
}

bool quoteNonFiniteTokens(std::string_view line, std::string& out)
{
    out.clear();
    out.reserve(line.size() + 16);
    bool inString = false;
    bool changed = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (inString) {
            out.push_back(c);
            if (c == '\\' && i + 1 < line.size())
                out.push_back(line[++i]);
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            out.push_back(c);
            continue;
        }
        for (std::string_view token :
             {std::string_view("-Infinity"), std::string_view("Infinity"), std::string_view("NaN")}) {
            if (line.substr(i, token.size()) == token) {
                out.push_back('"');
                out.append(token);
                out.push_back('"');
                i += token.size() - 1;
                changed = true;
                goto next;
            }
        }
        out.push_back(c);
    next:;
    }
    return changed;
}

std::string numberText(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "Infinity" : "-Infinity";
    char buffer[64];
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    if (ec != std::errc())
        return "?";
    return std::string(buffer, ptr);
}

std::string quoteForMessage(std::string_view value)
{
    constexpr std::size_t kMax = 60;
    std::string out;
    for (char c : value.substr(0, kMax)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out.push_back(kHex[u >> 4]);
            out.push_back(kHex[u & 15]);
        } else {
            out.push_back(c);
        }
    }
    if (value.size() > kMax)
        out += "...";
    return out;
}

} // namespace vigil::ingest
