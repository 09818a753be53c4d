#include "prom/exposition_parser.h"

#include "prom/metric_points.h"
#include "prom/number_parse.h"

#include <cmath>
#include <cstring>
#include <fmt/format.h>

namespace vigil::prom {
namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

std::string_view trimBlanks(std::string_view s)
{
    while (!s.empty() && isBlank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isBlank(s.back()))
        s.remove_suffix(1);
    return s;
}

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

// HELP escapes: "\\", "\n" and "\"" (expfmt and OpenMetrics agree). Unknown sequences
// are kept verbatim, as Prometheus' helpReplacer does; expfmt would reject them.
std::string_view unescapeHelp(std::string_view text, StringArena& arena)
{
    if (text.find('\\') == std::string_view::npos)
        return text;
    char* out = arena.allocate(text.size());
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\' && i + 1 < text.size()) {
            const char e = text[i + 1];
            if (e == '\\' || e == 'n' || e == '"') {
                out[n++] = e == 'n' ? '\n' : e;
                ++i;
                continue;
            }
        }
        out[n++] = c;
    }
    return {out, n};
}

std::optional<MetricType> textType(std::string_view t)
{
    std::string lower(t);
    for (char& c : lower)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    if (lower == "counter")
        return MetricType::Counter;
    if (lower == "gauge")
        return MetricType::Gauge;
    if (lower == "histogram")
        return MetricType::Histogram;
    if (lower == "summary")
        return MetricType::Summary;
    if (lower == "untyped")
        return MetricType::Untyped;
    if (lower == "gaugehistogram" || lower == "gauge_histogram")
        return MetricType::GaugeHistogram;
    return std::nullopt;
}

std::optional<MetricType> omType(std::string_view t)
{
    static constexpr std::pair<std::string_view, MetricType> kTypes[] = {
        {"counter", MetricType::Counter},     {"gauge", MetricType::Gauge},
        {"histogram", MetricType::Histogram}, {"gaugehistogram", MetricType::GaugeHistogram},
        {"stateset", MetricType::StateSet},   {"info", MetricType::Info},
        {"summary", MetricType::Summary},     {"unknown", MetricType::Untyped},
    };
    for (const auto& [name, type] : kTypes)
        if (t == name)
            return type;
    return std::nullopt;
}

constexpr std::string_view kSuffixes[] = {"_bucket", "_sum",     "_count", "_gsum",
                                          "_gcount", "_created", "_total", "_info"};

} // namespace

std::uint64_t metricKey(std::span<const Label> labels, std::string_view alsoIgnore)
{
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&h](std::string_view s, unsigned char end) {
        for (const char c : s) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ULL;
        }
        h ^= end;
        h *= 1099511628211ULL;
    };
    for (const Label& l : labels) {
        if (l.name == "le" || l.name == "quantile" || (!alsoIgnore.empty() && l.name == alsoIgnore))
            continue;
        mix(l.name, 0xff);
        mix(l.value, 0xfe);
    }
    return h;
}

ExpositionParser::ExpositionParser(ParsedScrape& out, std::vector<std::string>& warnings)
    : m_out(out), m_warnings(warnings), m_om(out.format == ExpositionFormat::OpenMetrics)
{
}

void ExpositionParser::fail(std::string reason) const
{
    throw ParseFailure{m_line, std::move(reason)};
}

void ExpositionParser::parse(std::string_view body)
{
    // A rough guess that avoids most regrowth: node_exporter lines average ~70 bytes.
    m_out.samples.reserve(body.size() / 64);
    m_out.labels.reserve(body.size() / 32);
    if (m_om)
        parseOpenMetrics(body);
    else
        parseText004(body);
    validateFamilies(m_out, m_warnings);
    if (!m_om)
        dropEmptyFamilies();
}

void ExpositionParser::parseText004(std::string_view body)
{
    std::size_t pos = 0;
    while (pos < body.size()) {
        ++m_line;
        const auto* nl = static_cast<const char*>(std::memchr(body.data() + pos, '\n', body.size() - pos));
        if (!nl)
            fail("unexpected end of input stream (the last line must end with a line feed)");
        const std::size_t end = static_cast<std::size_t>(nl - body.data());
        const std::string_view line = trimBlanks(body.substr(pos, end - pos));
        pos = end + 1;
        if (line.empty())
            continue;
        if (line[0] == '#')
            textComment(line);
        else
            textSampleLine(line);
    }
}

void ExpositionParser::parseOpenMetrics(std::string_view body)
{
    std::size_t pos = 0;
    bool sawEof = false;
    while (pos < body.size()) {
        ++m_line;
        const auto* nl = static_cast<const char*>(std::memchr(body.data() + pos, '\n', body.size() - pos));
        const std::size_t end = nl ? static_cast<std::size_t>(nl - body.data()) : body.size();
        const std::string_view line = body.substr(pos, end - pos);
        pos = end + 1;
        if (line.empty())
            fail("blank lines are not allowed in OpenMetrics");
        if (line.back() == '\r')
            fail("carriage return at end of line (OpenMetrics lines end with \\n only)");
        if (line == "# EOF") {
            sawEof = true;
            if (pos < body.size()) {
                ++m_line;
                fail("unexpected data after # EOF");
            }
            break;
        }
        if (line[0] == '#')
            omComment(line);
        else
            omSampleLine(line);
    }
    if (!sawEof)
        fail("data does not end with # EOF");
}

void ExpositionParser::textComment(std::string_view line)
{
    std::size_t pos = 1;
    auto skip = [&] {
        while (pos < line.size() && isBlank(line[pos]))
            ++pos;
    };
    skip();
    const std::size_t kwStart = pos;
    while (pos < line.size() && !isBlank(line[pos]))
        ++pos;
    const std::string_view keyword = line.substr(kwStart, pos - kwStart);
    if (keyword != "HELP" && keyword != "TYPE")
        return; // an ordinary comment
    skip();
    if (pos >= line.size())
        return; // "# HELP" alone says nothing
    std::string_view name;
    if (line[pos] == '"') {
        name = quoted(line, pos);
    } else {
        const std::size_t start = pos;
        while (pos < line.size() && isMetricNameChar(line[pos]))
            ++pos;
        name = line.substr(start, pos - start);
        if (name.empty() || !isMetricNameStart(name[0]))
            fail(fmt::format("invalid metric name in # {} line", keyword));
    }
    if (pos < line.size() && !isBlank(line[pos]))
        fail(fmt::format("invalid metric name in # {} line", keyword));
    skip();
    if (pos >= line.size())
        return; // a name without text: expfmt ignores the line too
    const std::string_view text = line.substr(pos);

    const auto it = m_byName.find(name);
    const std::uint32_t idx = it != m_byName.end() ? it->second : newFamily(name);
    MetricFamily& fam = m_out.families[idx];
    FamilyState& state = m_state[idx];
    if (keyword == "HELP") {
        if (state.sawHelp)
            fail(fmt::format("second HELP line for metric name \"{}\"", name));
        state.sawHelp = true;
        fam.help = unescapeHelp(text, m_out.arena());
        fam.hasHelp = true;
        return;
    }
    if (state.sawType || !fam.samples.empty())
        fail(fmt::format("second TYPE line for metric name \"{}\", or TYPE reported after samples", name));
    const auto type = textType(text);
    if (!type)
        fail(fmt::format("unknown metric type \"{}\"", text));
    state.sawType = true;
    fam.type = *type;
    fam.hasType = true;
    m_lastName = {}; // the sample-kind cache depends on family types
}

void ExpositionParser::omComment(std::string_view line)
{
    if (startsWith(line, "# EOF"))
        fail("unexpected data after # EOF");
    const std::string_view keyword = line.size() >= 7 ? line.substr(2, 4) : std::string_view();
    if (keyword.empty() || line[1] != ' ' || (keyword != "HELP" && keyword != "TYPE" && keyword != "UNIT") ||
        line[6] != ' ')
        fail(fmt::format("invalid comment \"{}\": OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF",
                         line.substr(0, 40)));
    std::size_t pos = 7;
    while (pos < line.size() && isMetricNameChar(line[pos]))
        ++pos;
    const std::string_view name = line.substr(7, pos - 7);
    if (name.empty() || !isMetricNameStart(name[0]) || (pos < line.size() && line[pos] != ' '))
        fail(fmt::format("invalid metric name in # {} line", keyword));
    const std::string_view text = pos < line.size() ? line.substr(pos + 1) : std::string_view();

    std::uint32_t idx = m_current;
    if (idx == UINT32_MAX || m_out.families[idx].name != name) {
        if (m_byName.count(name))
            fail(fmt::format("metric family \"{}\" appears twice (families must not be interleaved)", name));
        idx = newFamily(name);
    }
    MetricFamily& fam = m_out.families[idx];
    FamilyState& state = m_state[idx];
    if (!fam.samples.empty())
        fail(fmt::format("# {} line for \"{}\" after its samples", keyword, name));
    if (keyword == "HELP") {
        if (state.sawHelp)
            fail(fmt::format("second HELP line for metric name \"{}\"", name));
        state.sawHelp = true;
        // An empty HELP or UNIT is "as if no metadata line existed", but still a line.
        fam.hasHelp = !text.empty();
        fam.help = unescapeHelp(text, m_out.arena());
    } else if (keyword == "TYPE") {
        if (state.sawType)
            fail(fmt::format("second TYPE line for metric name \"{}\"", name));
        const auto type = omType(text);
        if (!type)
            fail(fmt::format("invalid metric type \"{}\"", text));
        state.sawType = true;
        fam.type = *type;
        fam.hasType = true;
    } else {
        if (state.sawUnit)
            fail(fmt::format("second UNIT line for metric name \"{}\"", name));
        state.sawUnit = true;
        if (!text.empty()) {
            const bool suffix = name.size() > text.size() + 1 && name.ends_with(text) &&
                                name[name.size() - text.size() - 1] == '_';
            if (!suffix)
                fail(fmt::format("unit \"{}\" not a suffix of metric \"{}\"", text, name));
            fam.unit = text;
            fam.hasUnit = true;
        }
    }
}

std::uint32_t ExpositionParser::newFamily(std::string_view name)
{
    const auto idx = static_cast<std::uint32_t>(m_out.families.size());
    MetricFamily fam;
    fam.name = name;
    m_out.families.push_back(std::move(fam));
    m_state.emplace_back();
    m_byName.emplace(name, idx);
    if (m_om) {
        m_current = idx;
        m_doneMetrics.clear();
        m_metricOpen = false;
    }
    return idx;
}

bool ExpositionParser::matchSuffix(const MetricFamily& fam, std::string_view name, SampleKind& kind) const
{
    if (!startsWith(name, fam.name))
        return false;
    const std::string_view suffix = name.substr(fam.name.size());
    auto is = [&](std::string_view s, SampleKind k) {
        if (suffix != s)
            return false;
        kind = k;
        return true;
    };
    switch (fam.type) {
    case MetricType::Untyped:
    case MetricType::Gauge:
    case MetricType::StateSet:
        return is("", SampleKind::Value);
    case MetricType::Counter:
        if (m_om)
            return is("_total", SampleKind::Total) || is("_created", SampleKind::Created);
        return is("", SampleKind::Value);
    case MetricType::Histogram:
        return is("_bucket", SampleKind::Bucket) || is("_count", SampleKind::Count) ||
               is("_sum", SampleKind::Sum) || (m_om && is("_created", SampleKind::Created));
    case MetricType::GaugeHistogram:
        return is("_bucket", SampleKind::Bucket) || is("_gcount", SampleKind::GaugeCount) ||
               is("_gsum", SampleKind::GaugeSum) ||
               (!m_om && (is("_count", SampleKind::Count) || is("_sum", SampleKind::Sum)));
    case MetricType::Summary:
        return is("", SampleKind::Quantile) || is("_count", SampleKind::Count) ||
               is("_sum", SampleKind::Sum) || (m_om && is("_created", SampleKind::Created));
    case MetricType::Info:
        return is("_info", SampleKind::Info);
    }
    return false;
}

std::uint32_t ExpositionParser::familyFor(std::string_view name, SampleKind& kind)
{
    if (m_om) {
        if (m_current != UINT32_MAX && matchSuffix(m_out.families[m_current], name, kind))
            return m_current;
        if (m_current != UINT32_MAX && m_out.families[m_current].name == name)
            fail(fmt::format("sample name \"{}\" is not valid in a {} family", name,
                             metricTypeName(m_out.families[m_current].type)));
        if (m_byName.count(name))
            fail(fmt::format("metric family \"{}\" appears twice (families must not be interleaved)", name));
        for (const std::string_view suffix : kSuffixes) {
            if (!name.ends_with(suffix))
                continue;
            const auto it = m_byName.find(name.substr(0, name.size() - suffix.size()));
            SampleKind ignored;
            if (it != m_byName.end() && matchSuffix(m_out.families[it->second], name, ignored))
                fail(fmt::format("samples of metric family \"{}\" are interleaved with other families",
                                 m_out.families[it->second].name));
        }
        kind = SampleKind::Value;
        return newFamily(name);
    }
    // Text 0.0.4: families may be interleaved (the "evil summary" case), so look up by
    // name; consecutive samples of one family, the common case, skip the hash.
    if (m_lastName == name) {
        kind = m_lastKind;
        return m_lastFamily;
    }
    m_lastName = name;
    m_lastFamily = textFamilyFor(name, kind);
    m_lastKind = kind;
    return m_lastFamily;
}

std::uint32_t ExpositionParser::textFamilyFor(std::string_view name, SampleKind& kind)
{
    const auto exact = m_byName.find(name);
    if (exact != m_byName.end()) {
        const MetricFamily& fam = m_out.families[exact->second];
        if (!matchSuffix(fam, name, kind))
            kind = SampleKind::Value;
        return exact->second;
    }
    for (const std::string_view suffix : kSuffixes) {
        if (!name.ends_with(suffix))
            continue;
        const auto it = m_byName.find(name.substr(0, name.size() - suffix.size()));
        if (it != m_byName.end() && matchSuffix(m_out.families[it->second], name, kind))
            return it->second;
    }
    kind = SampleKind::Value;
    return newFamily(name);
}

void ExpositionParser::addSample(std::uint32_t labelBegin)
{
    SampleKind kind = SampleKind::Value;
    const std::uint32_t famIdx = familyFor(m_raw.name, kind);
    Sample s;
    s.name = m_raw.name;
    s.labelBegin = labelBegin;
    s.labelCount = static_cast<std::uint32_t>(m_out.labels.size() - labelBegin);
    s.family = famIdx;
    s.line = m_line;
    s.kind = kind;
    s.value = m_raw.value;
    s.hasTimestamp = m_raw.hasTimestamp;
    s.timestampMs = m_raw.hasTimestamp ? m_raw.timestampMs : m_out.scrapeTimeMs;
    const MetricFamily& fam = m_out.families[famIdx];

    if (kind == SampleKind::Bucket || kind == SampleKind::Quantile) {
        const std::string_view labelName = kind == SampleKind::Bucket ? "le" : "quantile";
        bool found = false;
        const std::string_view text = m_out.labelValue(s, labelName, &found);
        if (!found)
            fail(fmt::format("{} sample \"{}\" has no \"{}\" label", metricTypeName(fam.type), s.name,
                             labelName));
        const auto bound = parseFloat(text);
        if (!bound || std::isnan(*bound))
            fail(fmt::format("expected float as value for '{}' label, got \"{}\"", labelName, text));
        if (m_om && std::isinf(*bound) && text != "+Inf")
            fail(fmt::format("{}=\"{}\": infinity must be written \"+Inf\"", labelName, text));
        s.bound = *bound;
    }
    if (!m_om && (fam.type == MetricType::Histogram || fam.type == MetricType::GaugeHistogram)) {
        if (kind == SampleKind::Count && s.value < 0)
            fail(fmt::format("negative count for histogram \"{}\"", fam.name));
        if (kind == SampleKind::Bucket && s.value < 0)
            fail(fmt::format("negative bucket population for histogram \"{}\"", fam.name));
    }
    if (m_om) {
        checkOmSample(fam, s);
        checkOmOrdering(s);
    }
    if (m_raw.hasExemplar) {
        if (kind != SampleKind::Total && kind != SampleKind::Bucket)
            fail(fmt::format(
                "exemplar on \"{}\": only counter _total and histogram _bucket samples carry them", s.name));
        s.exemplar = static_cast<std::int32_t>(m_out.exemplars.size());
        m_out.exemplars.push_back(m_raw.exemplar);
    }
    m_out.families[famIdx].samples.push_back(static_cast<std::uint32_t>(m_out.samples.size()));
    m_out.samples.push_back(s);
}

void ExpositionParser::checkOmSample(const MetricFamily& fam, Sample& s)
{
    const double v = s.value;
    const bool histogramFamily = fam.type == MetricType::Histogram || fam.type == MetricType::GaugeHistogram;
    const bool nonNegative = !std::isnan(v) && v >= 0;
    const bool count = nonNegative && std::floor(v) == v && !std::isinf(v);
    switch (s.kind) {
    case SampleKind::Total:
        if (!nonNegative)
            fail(fmt::format("counter \"{}\" must be a non-negative number, got {}", s.name, v));
        break;
    case SampleKind::Bucket:
    case SampleKind::GaugeCount:
        if (!count)
            fail(fmt::format("\"{}\" must be a non-negative integer, got {}", s.name, v));
        break;
    case SampleKind::Count:
        if (histogramFamily ? !count : !nonNegative)
            fail(fmt::format("\"{}\" must be a non-negative {}, got {}", s.name,
                             histogramFamily ? "integer" : "number", v));
        break;
    case SampleKind::Sum:
        if (!nonNegative)
            fail(fmt::format("\"{}\" must be a non-negative number, got {}", s.name, v));
        break;
    case SampleKind::Quantile:
        if (s.bound < 0 || s.bound > 1)
            fail(fmt::format("quantile {} of \"{}\" is outside [0, 1]", s.bound, s.name));
        if (v < 0)
            fail(fmt::format("quantile value of \"{}\" must not be negative, got {}", s.name, v));
        break;
    case SampleKind::Info:
        if (v != 1)
            fail(fmt::format("info metric \"{}\" must have value 1, got {}", s.name, v));
        break;
    case SampleKind::Value:
        if (fam.type == MetricType::StateSet) {
            bool found = false;
            m_out.labelValue(s, fam.name, &found);
            if (!found)
                fail(fmt::format("stateset sample \"{}\" lacks the label \"{}\"", s.name, fam.name));
            if (v != 0 && v != 1)
                fail(fmt::format("stateset \"{}\" value must be 0 or 1, got {}", s.name, v));
        }
        break;
    default:
        break;
    }
    bool hasLe = false;
    m_out.labelValue(s, "le", &hasLe);
    if (histogramFamily && hasLe && s.kind != SampleKind::Bucket)
        fail(fmt::format("\"{}\" must not have an \"le\" label", s.name));
    bool hasQuantile = false;
    m_out.labelValue(s, "quantile", &hasQuantile);
    if (fam.type == MetricType::Summary && hasQuantile && s.kind != SampleKind::Quantile)
        fail(fmt::format("\"{}\" must not have a \"quantile\" label", s.name));
}

void ExpositionParser::checkOmOrdering(const Sample& s)
{
    if (s.kind == SampleKind::Created)
        return; // its value is a time; where it sits among the other samples is free
    const MetricFamily& fam = m_out.families[s.family];
    const std::uint64_t key =
        metricKey(m_out.labelsOf(s), fam.type == MetricType::StateSet ? fam.name : std::string_view());
    if (!m_metricOpen || key != m_metricKey) {
        if (m_metricOpen)
            m_doneMetrics.insert(m_metricKey);
        if (m_doneMetrics.count(key))
            fail(fmt::format("\"{}\" continues a metric that ended earlier (metrics must not be interleaved)",
                             s.name));
        m_metricKey = key;
        m_metricOpen = true;
        m_metricHasTs = -1;
    }
    const int has = s.hasTimestamp ? 1 : 0;
    if (m_metricHasTs != -1 && m_metricHasTs != has)
        fail(fmt::format("\"{}\" mixes samples with and without timestamps in one metric", s.name));
    if (has && m_metricHasTs == 1 && s.timestampMs < m_metricLastTs)
        fail(fmt::format("timestamps of \"{}\" go backwards", s.name));
    m_metricHasTs = has;
    m_metricLastTs = s.timestampMs;
}

void ExpositionParser::dropEmptyFamilies()
{
    // expfmt drops families that only had metadata (e.g. a stray HELP); so do we for 0.0.4.
    std::vector<std::uint32_t> remap(m_out.families.size());
    std::uint32_t kept = 0;
    for (std::uint32_t i = 0; i < m_out.families.size(); ++i) {
        remap[i] = kept;
        if (!m_out.families[i].samples.empty()) {
            if (kept != i)
                m_out.families[kept] = std::move(m_out.families[i]);
            ++kept;
        }
    }
    if (kept == m_out.families.size())
        return;
    m_out.families.resize(kept);
    for (Sample& s : m_out.samples)
        s.family = remap[s.family];
}

} // namespace vigil::prom
