#include "net/scrape_derived.h"

#include "prom/histogram_quantile.h"

#include <map>

namespace vigil {

std::vector<CounterRate> counterRates(const EndpointState& endpoint)
{
    std::vector<CounterRate> out;
    for (const auto& [key, s] : endpoint.series) {
        if (s.type != MetricType::Counter || (s.kind != SampleKind::Value && s.kind != SampleKind::Total))
            continue;
        CounterRate r;
        r.series = &s;
        const std::vector<PromPoint> all = s.points.toVector();
        const std::span<const PromPoint> pts(all);
        if (pts.size() >= 2)
            r.overall = extrapolatedRate(pts, pts.front().timestampMs, pts.back().timestampMs, true, true);
        for (std::size_t i = 1; i < pts.size(); ++i) {
            if (auto v = extrapolatedRate(pts.subspan(i - 1, 2), pts[i - 1].timestampMs, pts[i].timestampMs,
                                          true, true))
                r.perInterval.push_back({pts[i].timestampMs, *v});
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<HistogramQuantiles> histogramQuantiles(const EndpointState& endpoint)
{
    // (family, labels without le) -> timestamp -> buckets
    using Labels = std::vector<std::pair<std::string, std::string>>;
    std::map<std::pair<std::string, Labels>, std::map<std::int64_t, std::vector<QuantileBucket>>> groups;
    for (const auto& [key, s] : endpoint.series) {
        if (s.kind != SampleKind::Bucket || s.type != MetricType::Histogram)
            continue;
        Labels labels;
        for (const auto& l : s.labels)
            if (l.first != "le")
                labels.push_back(l);
        auto& byTime = groups[{s.family, std::move(labels)}];
        const double bound = s.bound; // clang 14 cannot capture the structured binding
        s.points.forEach([&](const PromPoint& p) { byTime[p.timestampMs].push_back({bound, p.value}); });
    }
    std::vector<HistogramQuantiles> out;
    for (auto& [id, byTime] : groups) {
        HistogramQuantiles h;
        h.family = id.first;
        h.labels = id.second;
        for (auto& [ts, buckets] : byTime) {
            h.points.push_back({ts, histogramQuantile(0.5, buckets).value,
                                histogramQuantile(0.9, buckets).value,
                                histogramQuantile(0.99, buckets).value});
        }
        out.push_back(std::move(h));
    }
    return out;
}

} // namespace vigil
