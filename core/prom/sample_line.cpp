// Tokenising sample lines. Text 0.0.4 allows blanks between every token, quoted
// metric names and a trailing comma; OpenMetrics allows exactly one space and nothing
// else. Label values are views into the body unless an escape had to be resolved.
#include "prom/exposition_parser.h"
#include "prom/number_parse.h"

#include <cstring>
#include <fmt/format.h>

namespace vigil::prom {
namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

void skipBlanks(std::string_view line, std::size_t& pos)
{
    while (pos < line.size() && isBlank(line[pos]))
        ++pos;
}

std::string_view tokenUntil(std::string_view line, std::size_t& pos, bool om)
{
    const std::size_t start = pos;
    if (om) {
        while (pos < line.size() && line[pos] != ' ')
            ++pos;
    } else {
        while (pos < line.size() && !isBlank(line[pos]))
            ++pos;
    }
    return line.substr(start, pos - start);
}

// Short excerpt for error messages; lines can be long and contain anything.
std::string excerpt(std::string_view text)
{
    constexpr std::size_t kMax = 40;
    return std::string(text.substr(0, kMax)) + (text.size() > kMax ? "..." : "");
}

} // namespace

std::string_view ExpositionParser::quoted(std::string_view line, std::size_t& pos)
{
    // pos is on the opening quote.
    const char* begin = line.data() + pos + 1;
    const std::size_t avail = line.size() - pos - 1;
    const auto* close = static_cast<const char*>(std::memchr(begin, '"', avail));
    const std::size_t upTo = close ? static_cast<std::size_t>(close - begin) : avail;
    if (close && !std::memchr(begin, '\\', upTo)) {
        const std::string_view value(begin, upTo);
        if (!isValidUtf8(value))
            fail(fmt::format("invalid UTF-8 label value \"{}\"", excerpt(value)));
        pos += upTo + 2;
        return value;
    }
    // Slow path: find the real closing quote (skipping escaped characters), then
    // resolve escapes into the arena; the result is never longer than the raw text.
    std::size_t rawLength = 0;
    while (rawLength < avail && begin[rawLength] != '"')
        rawLength += begin[rawLength] == '\\' ? 2 : 1;
    if (rawLength >= avail)
        fail(fmt::format("label value \"{}\" contains unescaped new-line", excerpt({begin, avail})));
    char* out = m_out.arena().allocate(rawLength);
    std::size_t n = 0;
    std::size_t i = 0;
    for (;; ++i) {
        const char c = begin[i];
        if (c == '"')
            break;
        if (c != '\\') {
            out[n++] = c;
            continue;
        }
        ++i; // within rawLength: the scan above stepped over this escape
        switch (begin[i]) {
        case '\\':
            out[n++] = '\\';
            break;
        case '"':
            out[n++] = '"';
            break;
        case 'n':
            out[n++] = '\n';
            break;
        default:
            // The 0.0.4 spec defines only these three (expfmt rejects the rest);
            // OpenMetrics' ABNF lets "\z" through and Prometheus keeps it verbatim.
            if (!m_om)
                fail(fmt::format("invalid escape sequence '\\{}' in label value", begin[i]));
            out[n++] = '\\';
            out[n++] = begin[i];
        }
    }
    const std::string_view value(out, n);
    if (!isValidUtf8(value))
        fail(fmt::format("invalid UTF-8 label value \"{}\"", excerpt(value)));
    pos += i + 2;
    return value;
}

void ExpositionParser::finishLabels(std::vector<Label>& labels, std::size_t begin,
                                    std::string_view what) const
{
    // Insertion sort: label sets are small and often already sorted.
    for (std::size_t i = begin + 1; i < labels.size(); ++i) {
        const Label l = labels[i];
        std::size_t j = i;
        while (j > begin && labels[j - 1].name > l.name) {
            labels[j] = labels[j - 1];
            --j;
        }
        labels[j] = l;
    }
    for (std::size_t i = begin + 1; i < labels.size(); ++i)
        if (labels[i].name == labels[i - 1].name)
            fail(fmt::format("duplicate label names for {}: \"{}\"", what, excerpt(labels[i].name)));
}

void ExpositionParser::textSampleLine(std::string_view line)
{
    std::size_t pos = 0;
    std::string_view name;
    if (line[0] != '{') {
        while (pos < line.size() && isMetricNameChar(line[pos]))
            ++pos;
        name = line.substr(0, pos);
        if (name.empty() || !isMetricNameStart(name[0]))
            fail(fmt::format("invalid metric name in \"{}\"", excerpt(line)));
        skipBlanks(line, pos);
    }
    const std::size_t labelBegin = m_out.labels.size();
    if (pos < line.size() && line[pos] == '{') {
        ++pos;
        textLabels(line, pos, name);
    }
    if (name.empty())
        fail(m_out.labels.size() == labelBegin ? "invalid metric name" : "metric name not set");
    skipBlanks(line, pos);
    m_raw = RawSample{};
    m_raw.name = name;
    const std::string_view valueText = tokenUntil(line, pos, false);
    if (valueText.empty())
        fail(fmt::format("expected value after metric \"{}\"", excerpt(name)));
    const auto value = parseFloat(valueText);
    if (!value)
        fail(fmt::format("expected float as value, got \"{}\"", excerpt(valueText)));
    m_raw.value = *value;
    skipBlanks(line, pos);
    if (pos < line.size()) {
        const std::string_view tsText = tokenUntil(line, pos, false);
        const auto ts = parseInt64(tsText);
        if (!ts)
            fail(fmt::format("expected integer as timestamp, got \"{}\"", excerpt(tsText)));
        m_raw.hasTimestamp = true;
        m_raw.timestampMs = *ts;
        skipBlanks(line, pos);
        if (pos < line.size())
            fail(fmt::format("spurious string after timestamp: \"{}\"", excerpt(line.substr(pos))));
    }
    finishLabels(m_out.labels, labelBegin, "metric");
    addSample(static_cast<std::uint32_t>(labelBegin));
}

void ExpositionParser::textLabels(std::string_view line, std::size_t& pos, std::string_view& name)
{
    for (;;) {
        skipBlanks(line, pos);
        if (pos >= line.size())
            fail("unexpected end of line in label set");
        if (line[pos] == '}') {
            ++pos;
            return;
        }
        std::string_view labelName;
        if (line[pos] == '"') {
            // Either a quoted label name ("name.1"="v") or the quoted metric name.
            const std::string_view text = quoted(line, pos);
            skipBlanks(line, pos);
            if (pos < line.size() && line[pos] == '=') {
                if (text.empty())
                    fail("invalid label name \"\"");
                labelName = text;
            } else {
                if (!name.empty())
                    fail(fmt::format("metric name set twice: \"{}\"", excerpt(text)));
                if (text.empty())
                    fail("invalid metric name");
                name = text;
            }
        } else {
            const std::size_t start = pos;
            while (pos < line.size() && isLabelNameChar(line[pos]))
                ++pos;
            labelName = line.substr(start, pos - start);
            if (labelName.empty() || !isLabelNameStart(labelName[0]))
                fail(fmt::format("invalid label name at \"{}\"", excerpt(line.substr(start))));
            skipBlanks(line, pos);
        }
        if (!labelName.empty() || (pos < line.size() && line[pos] == '=')) {
            if (pos >= line.size() || line[pos] != '=')
                fail(fmt::format("expected '=' after label name \"{}\"", excerpt(labelName)));
            ++pos;
            skipBlanks(line, pos);
            if (pos >= line.size() || line[pos] != '"')
                fail(fmt::format("expected label value, got \"{}\"", excerpt(line.substr(pos))));
            const std::string_view value = quoted(line, pos);
            if (labelName == "__name__")
                fail("label name \"__name__\" is reserved");
            m_out.labels.push_back({labelName, value});
        }
        skipBlanks(line, pos);
        if (pos < line.size() && line[pos] == ',') {
            ++pos;
            continue;
        }
        if (pos < line.size() && line[pos] == '}') {
            ++pos;
            return;
        }
        // Prometheus' own text parser accepts a missing comma between label pairs
        // ("{a = "b" c = "d"}"); so do we.
        if (pos < line.size() && (isLabelNameStart(line[pos]) || line[pos] == '"'))
            continue;
        fail(fmt::format("expected ',' or '}}' in label set, got \"{}\"", excerpt(line.substr(pos))));
    }
}

void ExpositionParser::omLabels(std::string_view line, std::size_t& pos, std::vector<Label>& into)
{
    // pos is just after '{'.
    if (pos < line.size() && line[pos] == '}') {
        ++pos;
        return;
    }
    for (;;) {
        const std::size_t start = pos;
        while (pos < line.size() && isLabelNameChar(line[pos]))
            ++pos;
        const std::string_view labelName = line.substr(start, pos - start);
        if (labelName.empty() || !isLabelNameStart(labelName[0]))
            fail(fmt::format("expected label name, got \"{}\"", excerpt(line.substr(start))));
        if (pos >= line.size() || line[pos] != '=')
            fail(fmt::format("expected '=' after label name \"{}\"", excerpt(labelName)));
        ++pos;
        if (pos >= line.size() || line[pos] != '"')
            fail(fmt::format("expected label value, got \"{}\"", excerpt(line.substr(pos))));
        const std::string_view value = quoted(line, pos);
        if (labelName == "__name__")
            fail("label name \"__name__\" is reserved");
        into.push_back({labelName, value});
        if (pos < line.size() && line[pos] == '}') {
            ++pos;
            return;
        }
        if (pos < line.size() && line[pos] == ',' && pos + 1 < line.size() && line[pos + 1] != '}') {
            ++pos;
            continue;
        }
        fail(fmt::format("expected ',' or '}}' in label set, got \"{}\"", excerpt(line.substr(pos))));
    }
}

void ExpositionParser::omSampleLine(std::string_view line)
{
    std::size_t pos = 0;
    while (pos < line.size() && isMetricNameChar(line[pos]))
        ++pos;
    const std::string_view name = line.substr(0, pos);
    if (name.empty() || !isMetricNameStart(name[0]))
        fail(line[0] == '{' ? std::string("metric name not set")
                            : fmt::format("expected a valid start token, got \"{}\"", excerpt(line)));
    const std::size_t labelBegin = m_out.labels.size();
    if (pos < line.size() && line[pos] == '{') {
        ++pos;
        omLabels(line, pos, m_out.labels);
    }
    if (pos >= line.size() || line[pos] != ' ')
        fail(fmt::format("expected a single space before the value of \"{}\"", excerpt(name)));
    ++pos;
    m_raw = RawSample{};
    m_raw.name = name;
    const std::string_view valueText = tokenUntil(line, pos, true);
    if (valueText.empty())
        fail(fmt::format("expected value after metric \"{}\"", excerpt(name)));
    const auto value = parseFloat(valueText);
    if (!value)
        fail(fmt::format("unsupported character in float \"{}\"", excerpt(valueText)));
    m_raw.value = *value;
    if (pos < line.size()) {
        ++pos;
        if (pos >= line.size())
            fail("trailing space after value");
        if (line[pos] == '#') {
            omExemplar(line, pos);
        } else {
            const std::string_view tsText = tokenUntil(line, pos, true);
            const auto ts = parseSecondsAsMs(tsText);
            if (!ts)
                fail(fmt::format("invalid timestamp \"{}\"", excerpt(tsText)));
            m_raw.hasTimestamp = true;
            m_raw.timestampMs = *ts;
            if (pos < line.size()) {
                ++pos;
                if (pos >= line.size() || line[pos] != '#')
                    fail(fmt::format("expected exemplar or end of line after timestamp, got \"{}\"",
                                     excerpt(line.substr(pos - 1))));
                omExemplar(line, pos);
            }
        }
    }
    finishLabels(m_out.labels, labelBegin, "metric");
    addSample(static_cast<std::uint32_t>(labelBegin));
}

void ExpositionParser::omExemplar(std::string_view line, std::size_t pos)
{
    if (line.substr(pos, 3) != "# {")
        fail(fmt::format("invalid exemplar \"{}\"", excerpt(line.substr(pos))));
    pos += 3;
    auto& labels = m_out.exemplarLabels;
    const std::size_t begin = labels.size();
    omLabels(line, pos, labels);
    finishLabels(labels, begin, "exemplar");
    std::size_t codePoints = 0;
    for (std::size_t i = begin; i < labels.size(); ++i)
        codePoints += codePointCount(labels[i].name) + codePointCount(labels[i].value);
    if (codePoints > 128)
        fail(fmt::format("exemplar labels have {} code points, more than 128", codePoints));
    Exemplar& ex = m_raw.exemplar;
    ex.labelBegin = static_cast<std::uint32_t>(begin);
    ex.labelCount = static_cast<std::uint32_t>(labels.size() - begin);
    if (pos >= line.size() || line[pos] != ' ' || pos + 1 >= line.size())
        fail("expected value after exemplar labels");
    ++pos;
    const std::string_view valueText = tokenUntil(line, pos, true);
    const auto value = parseFloat(valueText);
    if (!value)
        fail(fmt::format("invalid exemplar value \"{}\"", excerpt(valueText)));
    ex.value = *value;
    if (pos < line.size()) {
        ++pos;
        const std::string_view tsText = tokenUntil(line, pos, true);
        const auto ts = parseSecondsAsMs(tsText);
        if (!ts)
            fail(fmt::format("invalid exemplar timestamp \"{}\"", excerpt(tsText)));
        ex.hasTimestamp = true;
        ex.timestampMs = *ts;
        if (pos < line.size())
            fail(fmt::format("unexpected data after exemplar: \"{}\"", excerpt(line.substr(pos))));
    }
    m_raw.hasExemplar = true;
}

} // namespace vigil::prom
