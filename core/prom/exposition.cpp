#include "prom/exposition.h"

#include "prom/exposition_parser.h"

#include <exception>
#include <fmt/format.h>

namespace vigil {

std::string_view metricTypeName(MetricType type)
{
    switch (type) {
    case MetricType::Untyped:
        return "untyped";
    case MetricType::Counter:
        return "counter";
    case MetricType::Gauge:
        return "gauge";
    case MetricType::Histogram:
        return "histogram";
    case MetricType::GaugeHistogram:
        return "gaugehistogram";
    case MetricType::Summary:
        return "summary";
    case MetricType::Info:
        return "info";
    case MetricType::StateSet:
        return "stateset";
    }
    return "untyped";
}

std::string_view ParsedScrape::labelValue(const Sample& s, std::string_view name, bool* found) const
{
    for (const Label& l : labelsOf(s)) {
        if (l.name == name) {
            if (found)
                *found = true;
            return l.value;
        }
    }
    if (found)
        *found = false;
    return {};
}

const MetricFamily* ParsedScrape::findFamily(std::string_view name) const
{
    for (const MetricFamily& f : families)
        if (f.name == name)
            return &f;
    return nullptr;
}

Result<ParsedScrape> parseExposition(std::string_view body, ExpositionFormat fmt, std::int64_t scrapeTimeMs)
{
    if (fmt == ExpositionFormat::Auto) {
        std::string_view tail = body;
        if (!tail.empty() && tail.back() == '\n')
            tail.remove_suffix(1);
        fmt = tail.ends_with("# EOF") ? ExpositionFormat::OpenMetrics : ExpositionFormat::Text004;
    }
    ParsedScrape out;
    out.format = fmt;
    out.scrapeTimeMs = scrapeTimeMs;
    std::vector<std::string> warnings;
    try {
        const std::string_view owned = out.arena().storeSeparately(body);
        prom::ExpositionParser parser(out, warnings);
        parser.parse(owned);
    } catch (const prom::ParseFailure& failure) {
        return Error{fmt::format("{} parse error, line {}: {}",
                                 fmt == ExpositionFormat::OpenMetrics ? "OpenMetrics" : "Prometheus text",
                                 failure.line, failure.reason)};
    } catch (const std::exception& e) {
        return Error{fmt::format("exposition parse failed: {}", e.what())};
    }
    Result<ParsedScrape> result(std::move(out));
    result.warnings = std::move(warnings);
    return result;
}

ExpositionFormat formatFromContentType(std::string_view contentType, ExpositionFormat fallback)
{
    std::string_view media = contentType.substr(0, contentType.find(';'));
    while (!media.empty() && (media.front() == ' ' || media.front() == '\t'))
        media.remove_prefix(1);
    while (!media.empty() && (media.back() == ' ' || media.back() == '\t'))
        media.remove_suffix(1);
    std::string lower(media);
    for (char& c : lower)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    if (lower == "application/openmetrics-text")
        return ExpositionFormat::OpenMetrics;
    // text/plain without a version is 0.0.4 (expfmt); version=1.0.0 is the same
    // grammar with UTF-8 names, which the 0.0.4 parser reads too.
    if (lower == "text/plain")
        return ExpositionFormat::Text004;
    return fallback;
}

} // namespace vigil
