// Rules that span several samples: a histogram's buckets, +Inf bucket and _count.
// OpenMetrics makes them MUSTs and says a partly invalid exposition is invalid as a
// whole; for 0.0.4 the Prometheus server itself accepts such scrapes, so we warn.
#include "prom/exposition_parser.h"
#include "prom/metric_points.h"

#include <cmath>
#include <fmt/format.h>

namespace vigil::prom {
namespace {

void checkHistogram(const MetricFamily& fam, const HistogramPoint& p, bool om,
                    std::vector<std::string>& warnings)
{
    auto problem = [&](std::uint32_t line, const std::string& reason) {
        if (om)
            throw ParseFailure{line, reason};
        warnings.push_back(fmt::format("line {}: {}", line, reason));
    };
    const bool gauge = fam.type == MetricType::GaugeHistogram;
    const char* countName = gauge ? "_gcount" : "_count";
    const char* sumName = gauge ? "_gsum" : "_sum";
    if (!om && p.buckets.empty())
        return; // 0.0.4 exporters may expose only _sum/_count
    for (std::size_t i = 1; i < p.buckets.size(); ++i) {
        const auto& prev = p.buckets[i - 1];
        const auto& cur = p.buckets[i];
        if (!(cur.upperBound > prev.upperBound)) {
            problem(cur.line,
                    fmt::format("histogram \"{}\" buckets are not in increasing order of le ({} after {})",
                                fam.name, cur.upperBound, prev.upperBound));
            return;
        }
        if (cur.count < prev.count) {
            problem(cur.line, fmt::format("histogram \"{}\" buckets are not cumulative (le={} has {} < {})",
                                          fam.name, cur.upperBound, cur.count, prev.count));
            return;
        }
    }
    if (p.buckets.empty() || !std::isinf(p.buckets.back().upperBound)) {
        problem(p.firstLine, fmt::format("histogram \"{}\" has no +Inf bucket", fam.name));
        return;
    }
    const double infCount = p.buckets.back().count;
    if (om && p.sum.has_value() != p.count.has_value())
        problem(p.firstLine, fmt::format("histogram \"{}\" must have both {} and {} or neither", fam.name,
                                         sumName, countName));
    if (p.count && *p.count != infCount)
        problem(p.firstLine, fmt::format("histogram \"{}\": {} {} differs from the +Inf bucket {}", fam.name,
                                         countName, *p.count, infCount));
    if (om && !gauge && p.sum && p.buckets.front().upperBound < 0)
        problem(p.firstLine,
                fmt::format("histogram \"{}\" has negative bucket thresholds and must not have a _sum",
                            fam.name));
}

} // namespace

void validateFamilies(const ParsedScrape& scrape, std::vector<std::string>& warnings)
{
    const bool om = scrape.format == ExpositionFormat::OpenMetrics;
    for (const MetricFamily& fam : scrape.families) {
        if (fam.type != MetricType::Histogram && fam.type != MetricType::GaugeHistogram)
            continue;
        for (const HistogramPoint& p : histogramPoints(scrape, fam))
            checkHistogram(fam, p, om, warnings);
    }
}

} // namespace vigil::prom
