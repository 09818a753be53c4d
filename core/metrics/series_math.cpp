#include "metrics/series_math.h"

#include <algorithm>

namespace vigil {

std::vector<PromPoint> perIntervalIncrease(const std::vector<PromPoint>& counter)
{
    std::vector<PromPoint> out;
    if (counter.size() < 2)
        return out;
    out.reserve(counter.size() - 1);
    for (std::size_t i = 1; i < counter.size(); ++i) {
        if (counter[i].timestampMs <= counter[i - 1].timestampMs)
            continue;
        const double now = counter[i].value;
        const double before = counter[i - 1].value;
        out.push_back({counter[i].timestampMs, now < before ? now : now - before});
    }
    return out;
}

std::vector<PromPoint> perIntervalRate(const std::vector<PromPoint>& counter)
{
    std::vector<PromPoint> out = perIntervalIncrease(counter);
    // perIntervalIncrease skipped non-advancing timestamps; find each point's predecessor again.
    std::size_t j = 0;
    for (PromPoint& p : out) {
        while (counter[j + 1].timestampMs != p.timestampMs)
            ++j;
        p.value /= static_cast<double>(p.timestampMs - counter[j].timestampMs) / 1000.0;
        ++j;
    }
    return out;
}

std::vector<PromPoint> sumByTime(const std::vector<const std::vector<PromPoint>*>& series)
{
    if (series.empty())
        return {};
    if (series.size() == 1)
        return *series.front();
    std::vector<PromPoint> all;
    std::size_t total = 0;
    for (const auto* s : series)
        total += s->size();
    all.reserve(total);
    for (const auto* s : series)
        all.insert(all.end(), s->begin(), s->end());
    std::stable_sort(all.begin(), all.end(),
                     [](const PromPoint& a, const PromPoint& b) { return a.timestampMs < b.timestampMs; });
    std::vector<PromPoint> out;
    for (const PromPoint& p : all) {
        if (!out.empty() && out.back().timestampMs == p.timestampMs)
            out.back().value += p.value;
        else
            out.push_back(p);
    }
    return out;
}

double histogramQuantileOf(double q, const std::vector<QuantileBucket>& buckets)
{
    return histogramQuantile(q, buckets).value;
}

} // namespace vigil
