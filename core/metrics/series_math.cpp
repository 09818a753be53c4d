#include "metrics/series_math.h"

#include <algorithm>
#include <cmath>

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

void decimateEnvelope(std::vector<double>& x, std::vector<double>& y, int buckets)
{
    const std::size_t n = x.size();
    if (buckets <= 0 || n <= 2 * static_cast<std::size_t>(buckets) || !std::isfinite(x.front()) ||
        !std::isfinite(x.back()) || !(x.back() > x.front()))
        return;
    const double x0 = x.front();
    const double scale = static_cast<double>(buckets) / (x.back() - x0);
    std::vector<double> ox;
    std::vector<double> oy;
    ox.reserve(3 * static_cast<std::size_t>(buckets));
    oy.reserve(3 * static_cast<std::size_t>(buckets));
    std::size_t i = 0;
    while (i < n) {
        const auto bucket = std::min<long>(buckets - 1, static_cast<long>((x[i] - x0) * scale));
        std::size_t lo = n;
        std::size_t hi = n;
        std::size_t nan = n;
        std::size_t j = i;
        for (; j < n && std::min<long>(buckets - 1, static_cast<long>((x[j] - x0) * scale)) == bucket; ++j) {
            if (std::isnan(y[j])) {
                if (nan == n)
                    nan = j;
                continue;
            }
            if (lo == n || y[j] < y[lo])
                lo = j;
            if (hi == n || y[j] > y[hi])
                hi = j;
        }
        std::size_t picks[3] = {lo, hi, nan};
        std::sort(std::begin(picks), std::end(picks));
        for (std::size_t k = 0; k < 3; ++k)
            if (picks[k] != n && (k == 0 || picks[k] != picks[k - 1])) {
                ox.push_back(x[picks[k]]);
                oy.push_back(y[picks[k]]);
            }
        i = j;
    }
    x = std::move(ox);
    y = std::move(oy);
}

double histogramQuantileOf(double q, const std::vector<QuantileBucket>& buckets)
{
    return histogramQuantile(q, buckets).value;
}

} // namespace vigil
