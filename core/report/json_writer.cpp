#include "report/json_writer.h"

#include <cmath>
#include <fmt/format.h>

namespace vigil {

void JsonWriter::newline()
{
    if (m_indentStep <= 0) {
        return;
    }
    m_out.push_back('\n');
    m_out.append(m_hasItems.size() * static_cast<std::size_t>(m_indentStep), ' ');
}

void JsonWriter::beforeValue()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_hasItems.empty()) {
        if (m_hasItems.back()) {
            m_out.push_back(',');
        }
        m_hasItems.back() = true;
        newline();
    }
}

JsonWriter& JsonWriter::beginObject()
{
    beforeValue();
    m_out.push_back('{');
    m_hasItems.push_back(false);
    return *this;
}

void JsonWriter::closeContainer(char bracket)
{
    const bool had = m_hasItems.back();
    m_hasItems.pop_back();
    if (had) {
        newline();
    }
    m_out.push_back(bracket);
}

JsonWriter& JsonWriter::endObject()
{
    closeContainer('}');
    return *this;
}

JsonWriter& JsonWriter::beginArray()
{
    beforeValue();
    m_out.push_back('[');
    m_hasItems.push_back(false);
    return *this;
}

JsonWriter& JsonWriter::endArray()
{
    closeContainer(']');
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name)
{
    beforeValue();
    m_out.push_back('"');
    appendEscaped(m_out, name);
    m_out.append(m_indentStep > 0 ? "\": " : "\":");
    m_afterKey = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text)
{
    beforeValue();
    m_out.push_back('"');
    appendEscaped(m_out, text);
    m_out.push_back('"');
    return *this;
}

JsonWriter& JsonWriter::value(double number)
{
    if (!std::isfinite(number)) {
        return null();
    }
    beforeValue();
    fmt::format_to(std::back_inserter(m_out), "{}", number);
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number)
{
    beforeValue();
    fmt::format_to(std::back_inserter(m_out), "{}", number);
    return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t number)
{
    beforeValue();
    fmt::format_to(std::back_inserter(m_out), "{}", number);
    return *this;
}

JsonWriter& JsonWriter::value(bool flag)
{
    beforeValue();
    m_out.append(flag ? "true" : "false");
    return *this;
}

JsonWriter& JsonWriter::value(const std::optional<double>& number)
{
    return number ? value(*number) : null();
}

JsonWriter& JsonWriter::null()
{
    beforeValue();
    m_out.append("null");
    return *this;
}

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is not valid.
std::size_t utf8SequenceLength(std::string_view text, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t len = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        len = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        len = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        len = 4;
    } else {
        return 0;
    }
    if (i + len > text.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            return 0;
        }
    }
    return len;
}

} // namespace

// Control characters are escaped and invalid UTF-8 (binary junk quoted in an error
// message) becomes U+FFFD, so the report is always valid JSON.
void JsonWriter::appendEscaped(std::string& out, std::string_view text)
{
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (static_cast<unsigned char>(c) >= 0x80) {
            const std::size_t len = utf8SequenceLength(text, i);
            if (len == 0) {
                out.append("\ufffd");
            } else {
                out.append(text.substr(i, len));
                i += len - 1;
            }
            continue;
        }
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
            } else {
                out.push_back(c);
            }
        }
    }
}

} // namespace vigil
