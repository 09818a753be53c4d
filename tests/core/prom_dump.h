#pragma once
// A canonical text rendering of a ParsedScrape, used by the golden-file tests: one
// line per family and per sample, values with full precision, escapes made visible.
#include "prom/exposition.h"

#include <cmath>
#include <fmt/format.h>
#include <string>

namespace vigil::test {

inline std::string promNumber(double v)
{
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    return fmt::format("{}", v); // shortest round-trip form
}

inline std::string promEscaped(std::string_view s)
{
    std::string out;
    for (const char c : s) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else if (static_cast<unsigned char>(c) < 0x20)
            out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        else
            out += c;
    }
    return out;
}

inline std::string promLabels(std::span<const Label> labels)
{
    std::string out = "{";
    for (std::size_t i = 0; i < labels.size(); ++i)
        out += fmt::format("{}{}=\"{}\"", i ? "," : "", promEscaped(labels[i].name),
                           promEscaped(labels[i].value));
    return out + "}";
}

inline std::string_view kindName(SampleKind k)
{
    static constexpr std::string_view kNames[] = {"value", "total", "created", "bucket",   "sum",
                                                  "count", "gsum",  "gcount",  "quantile", "info"};
    return kNames[static_cast<int>(k)];
}

inline std::string dumpScrape(const ParsedScrape& scrape)
{
    std::string out =
        fmt::format("format {}\n", scrape.format == ExpositionFormat::OpenMetrics ? "openmetrics" : "text");
    for (const MetricFamily& f : scrape.families) {
        out += fmt::format("family {} {}", promEscaped(f.name), metricTypeName(f.type));
        if (f.hasHelp)
            out += fmt::format(" help=\"{}\"", promEscaped(f.help));
        if (f.hasUnit)
            out += fmt::format(" unit=\"{}\"", promEscaped(f.unit));
        out += "\n";
        for (const std::uint32_t idx : f.samples) {
            const Sample& s = scrape.samples[idx];
            out += fmt::format("  {} {}{} {}", kindName(s.kind), promEscaped(s.name),
                               promLabels(scrape.labelsOf(s)), promNumber(s.value));
            if (s.hasTimestamp)
                out += fmt::format(" @{}", s.timestampMs);
            if (!std::isnan(s.bound))
                out += fmt::format(" bound={}", promNumber(s.bound));
            if (s.exemplar >= 0) {
                const Exemplar& e = scrape.exemplars[static_cast<std::size_t>(s.exemplar)];
                out += fmt::format(" # {} {}", promLabels(scrape.labelsOf(e)), promNumber(e.value));
                if (e.hasTimestamp)
                    out += fmt::format(" @{}", e.timestampMs);
            }
            out += "\n";
        }
    }
    return out;
}

} // namespace vigil::test
