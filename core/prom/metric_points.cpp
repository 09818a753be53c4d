#include "prom/metric_points.h"

#include "prom/exposition_parser.h"
#include "prom/number_parse.h"

#include <cmath>
#include <unordered_map>

namespace vigil {
namespace {

std::int64_t secondsToMs(double seconds)
{
    return prom::secondsToMsSaturated(seconds);
}

// Groups a family's samples into points. In OpenMetrics one metric may carry several
// points with different timestamps; in 0.0.4 the samples of one label set form one
// point whatever their timestamps (expfmt: "latest timestamp wins").
template <typename Point, typename Apply>
std::vector<Point> groupPoints(const ParsedScrape& scrape, const MetricFamily& family, Apply apply)
{
    std::vector<Point> points;
    std::unordered_map<std::uint64_t, std::size_t> byKey;
    std::unordered_map<std::uint64_t, std::size_t> latestByMetric;
    std::unordered_map<std::uint64_t, std::int64_t> pendingCreated;
    const bool perTimestamp = scrape.format == ExpositionFormat::OpenMetrics;
    for (const std::uint32_t idx : family.samples) {
        const Sample& s = scrape.samples[idx];
        const auto labels = scrape.labelsOf(s);
        const std::uint64_t mk = prom::metricKey(labels);
        if (s.kind == SampleKind::Created) {
            const auto it = latestByMetric.find(mk);
            if (it != latestByMetric.end())
                points[it->second].createdMs = secondsToMs(s.value);
            else
                pendingCreated[mk] = secondsToMs(s.value);
            continue;
        }
        const std::uint64_t key =
            perTimestamp ? mk ^ (static_cast<std::uint64_t>(s.timestampMs) * 0x9E3779B97F4A7C15ULL) : mk;
        auto [it, inserted] = byKey.try_emplace(key, points.size());
        if (inserted) {
            Point p;
            for (const Label& l : labels)
                if (l.name != "le" && l.name != "quantile")
                    p.labels.push_back(l);
            p.firstLine = s.line;
            p.timestampMs = s.timestampMs;
            p.hasTimestamp = s.hasTimestamp;
            if (const auto pending = pendingCreated.find(mk); pending != pendingCreated.end())
                p.createdMs = pending->second;
            points.push_back(std::move(p));
            latestByMetric[mk] = it->second;
        }
        Point& p = points[it->second];
        // Explicit timestamps beat the scrape time; among them the latest wins.
        if (s.hasTimestamp && (!p.hasTimestamp || s.timestampMs > p.timestampMs)) {
            p.timestampMs = s.timestampMs;
            p.hasTimestamp = true;
        }
        apply(p, s);
    }
    return points;
}

} // namespace

std::vector<HistogramPoint> histogramPoints(const ParsedScrape& scrape, const MetricFamily& family)
{
    if (family.type != MetricType::Histogram && family.type != MetricType::GaugeHistogram)
        return {};
    return groupPoints<HistogramPoint>(scrape, family, [](HistogramPoint& p, const Sample& s) {
        switch (s.kind) {
        case SampleKind::Bucket:
            p.buckets.push_back({s.bound, s.value, s.line});
            break;
        case SampleKind::Sum:
        case SampleKind::GaugeSum:
            p.sum = s.value;
            break;
        case SampleKind::Count:
        case SampleKind::GaugeCount:
            p.count = s.value;
            break;
        default:
            break;
        }
    });
}

std::vector<SummaryPoint> summaryPoints(const ParsedScrape& scrape, const MetricFamily& family)
{
    if (family.type != MetricType::Summary)
        return {};
    return groupPoints<SummaryPoint>(scrape, family, [](SummaryPoint& p, const Sample& s) {
        switch (s.kind) {
        case SampleKind::Quantile:
            p.quantiles.push_back({s.bound, s.value});
            break;
        case SampleKind::Sum:
            p.sum = s.value;
            break;
        case SampleKind::Count:
            p.count = s.value;
            break;
        default:
            break;
        }
    });
}

std::optional<std::int64_t> createdMsFor(const ParsedScrape& scrape, const Sample& total)
{
    const MetricFamily& family = scrape.families[total.family];
    const std::uint64_t mk = prom::metricKey(scrape.labelsOf(total));
    for (const std::uint32_t idx : family.samples) {
        const Sample& s = scrape.samples[idx];
        if (s.kind == SampleKind::Created && prom::metricKey(scrape.labelsOf(s)) == mk)
            return secondsToMs(s.value);
    }
    return std::nullopt;
}

} // namespace vigil
