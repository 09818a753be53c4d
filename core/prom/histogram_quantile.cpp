#include "prom/histogram_quantile.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil {
namespace {

constexpr double kSmallDeltaTolerance = 1e-12;

// Prometheus util/almost.Equal: relative comparison with a guard near zero.
bool almostEqual(double a, double b, double epsilon)
{
    if (std::isnan(a) && std::isnan(b))
        return true;
    if (a == b)
        return true;
    constexpr double minNormal = std::numeric_limits<double>::min(); // 0x0010000000000000
    const double absSum = std::fabs(a) + std::fabs(b);
    const double diff = std::fabs(a - b);
    if (a == 0 || b == 0 || absSum < minNormal)
        return diff < epsilon * minNormal;
    return diff / std::min(absSum, std::numeric_limits<double>::max()) < epsilon;
}

void coalesce(std::vector<QuantileBucket>& buckets)
{
    std::size_t out = 0;
    for (std::size_t i = 1; i < buckets.size(); ++i) {
        if (buckets[i].upperBound == buckets[out].upperBound)
            buckets[out].count += buckets[i].count;
        else
            buckets[++out] = buckets[i];
    }
    buckets.resize(out + 1);
}

// ensureMonotonicAndIgnoreSmallDeltas: a bucket lower than the last accepted count is
// raised to it; a bucket within the tolerance of it (either direction) is set to it.
// In both cases the reference stays the earlier count.
void ensureMonotonic(std::vector<QuantileBucket>& buckets, HistogramQuantileResult& result)
{
    double prev = buckets[0].count;
    for (std::size_t i = 1; i < buckets.size(); ++i) {
        const double curr = buckets[i].count;
        if (curr == prev)
            continue;
        if (almostEqual(prev, curr, kSmallDeltaTolerance)) {
            buckets[i].count = prev;
            result.fixedPrecision = true;
            continue;
        }
        if (curr < prev) {
            buckets[i].count = prev;
            result.forcedMonotonic = true;
            continue;
        }
        prev = curr;
    }
}

} // namespace

HistogramQuantileResult histogramQuantile(double q, std::vector<QuantileBucket> buckets)
{
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    constexpr double inf = std::numeric_limits<double>::infinity();
    HistogramQuantileResult result;
    if (buckets.empty() || std::isnan(q)) {
        result.value = nan;
        return result;
    }
    if (q < 0) {
        result.value = -inf;
        return result;
    }
    if (q > 1) {
        result.value = inf;
        return result;
    }
    std::stable_sort(buckets.begin(), buckets.end(), [](const QuantileBucket& a, const QuantileBucket& b) {
        return a.upperBound < b.upperBound;
    });
    if (!std::isinf(buckets.back().upperBound) || buckets.back().upperBound < 0) {
        result.value = nan;
        return result;
    }
    coalesce(buckets);
    ensureMonotonic(buckets, result);
    if (buckets.size() < 2) {
        result.value = nan;
        return result;
    }
    const double observations = buckets.back().count;
    if (observations == 0) {
        result.value = nan;
        return result;
    }
    double rank = q * observations;
    // First bucket among all but +Inf whose count reaches the rank: Go's sort.Search,
    // reproduced exactly so that NaN counts land where they land in Prometheus.
    std::size_t b = 0;
    std::size_t hi = buckets.size() - 1;
    while (b < hi) {
        const std::size_t mid = b + (hi - b) / 2;
        if (!(buckets[mid].count >= rank))
            b = mid + 1;
        else
            hi = mid;
    }
    if (b == buckets.size() - 1) {
        result.value = buckets[buckets.size() - 2].upperBound;
        return result;
    }
    if (b == 0 && buckets[0].upperBound <= 0) {
        result.value = buckets[0].upperBound;
        return result;
    }
    double bucketStart = 0;
    const double bucketEnd = buckets[b].upperBound;
    double count = buckets[b].count;
    if (b > 0) {
        bucketStart = buckets[b - 1].upperBound;
        count -= buckets[b - 1].count;
        rank -= buckets[b - 1].count;
    }
    result.value = bucketStart + (bucketEnd - bucketStart) * (rank / count);
    return result;
}

HistogramQuantileResult histogramQuantile(double q, const HistogramPoint& point)
{
    std::vector<QuantileBucket> buckets;
    buckets.reserve(point.buckets.size());
    for (const auto& b : point.buckets)
        buckets.push_back({b.upperBound, b.count});
    return histogramQuantile(q, std::move(buckets));
}

std::optional<double> summaryQuantile(const SummaryPoint& point, double q)
{
    for (const SummaryQuantile& sq : point.quantiles)
        if (sq.quantile == q)
            return sq.value;
    return std::nullopt;
}

} // namespace vigil
