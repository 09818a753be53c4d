#pragma once
// Series derived from one endpoint's scraped history: counter rates (Prometheus rate()
// semantics from prom/rate.h) and histogram quantiles per scrape (prom/histogram_quantile.h).
#include "net/scraper.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vigil {

struct CounterRate
{
    const ScrapedSeries* series = nullptr;
    // rate() over the whole run: the range spans exactly the first and last sample, so
    // this is (last - first) / seconds, with counter resets handled.
    std::optional<double> overall;
    // rate() over each scrape interval, stamped with the interval's end.
    std::vector<PromPoint> perInterval;
};

struct QuantilePoint
{
    std::int64_t timestampMs = 0;
    double p50 = 0.0;
    double p90 = 0.0;
    double p99 = 0.0;
};

struct HistogramQuantiles
{
    std::string family;
    std::vector<std::pair<std::string, std::string>> labels; // without "le"
    std::vector<QuantilePoint> points;                       // one per scrape
};

// Counters: families typed counter (0.0.4 sample or OpenMetrics "_total").
std::vector<CounterRate> counterRates(const EndpointState& endpoint);
std::vector<HistogramQuantiles> histogramQuantiles(const EndpointState& endpoint);

} // namespace vigil
