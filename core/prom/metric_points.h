#pragma once
// Histogram and summary families regrouped into points: one per label set (without
// "le"/"quantile") and, in OpenMetrics, per timestamp. This is the shape
// histogram_quantile() and a chart want; the flat sample list is the shape of the wire.
#include "prom/exposition.h"

#include <optional>

namespace vigil {

struct HistogramBucketSample
{
    double upperBound = 0.0;
    double count = 0.0;
    std::uint32_t line = 0;
};

struct HistogramPoint
{
    std::vector<Label> labels;                  // sorted, without "le"
    std::vector<HistogramBucketSample> buckets; // in body order (not sorted, not coalesced)
    std::optional<double> sum;                  // _sum or _gsum
    std::optional<double> count;                // _count or _gcount
    std::optional<std::int64_t> createdMs;
    std::int64_t timestampMs =
        0; // latest explicit sample timestamp ("latest wins" in 0.0.4), else scrape time
    bool hasTimestamp = false;
    std::uint32_t firstLine = 0;
};

struct SummaryQuantile
{
    double quantile = 0.0;
    double value = 0.0;
};

struct SummaryPoint
{
    std::vector<Label> labels;              // sorted, without "quantile"
    std::vector<SummaryQuantile> quantiles; // in body order
    std::optional<double> sum;
    std::optional<double> count;
    std::optional<std::int64_t> createdMs;
    std::int64_t timestampMs = 0;
    bool hasTimestamp = false;
    std::uint32_t firstLine = 0;
};

// Empty unless `family` is a histogram or gauge histogram.
std::vector<HistogramPoint> histogramPoints(const ParsedScrape& scrape, const MetricFamily& family);
// Empty unless `family` is a summary.
std::vector<SummaryPoint> summaryPoints(const ParsedScrape& scrape, const MetricFamily& family);

// The start time of a counter sample's series from its "_created" sibling (OpenMetrics).
std::optional<std::int64_t> createdMsFor(const ParsedScrape& scrape, const Sample& total);

} // namespace vigil
