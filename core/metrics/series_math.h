#pragma once
// Point-wise arithmetic on sampled series for the resource presets: increases and
// rates between consecutive samples (with Prometheus' counter-reset rule), sums and
// combinations at equal timestamps, and histogram_quantile over bucket increases.
#include "prom/histogram_quantile.h"
#include "prom/rate.h"

#include <vector>

namespace vigil {

// Increase between consecutive points, stamped at the later one. A drop is a counter
// reset: the increase is then the new value, as Prometheus' rate() counts it.
std::vector<PromPoint> perIntervalIncrease(const std::vector<PromPoint>& counter);
// The same divided by the interval in seconds; intervals of zero length are skipped.
std::vector<PromPoint> perIntervalRate(const std::vector<PromPoint>& counter);

// Adds the series at equal timestamps (a timestamp present in some series only sums those).
std::vector<PromPoint> sumByTime(const std::vector<const std::vector<PromPoint>*>& series);

// f(a, b) at the timestamps both series have.
template <typename F>
std::vector<PromPoint> combineByTime(const std::vector<PromPoint>& a, const std::vector<PromPoint>& b, F f)
{
    std::vector<PromPoint> out;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].timestampMs < b[j].timestampMs) {
            ++i;
        } else if (b[j].timestampMs < a[i].timestampMs) {
            ++j;
        } else {
            out.push_back({a[i].timestampMs, f(a[i].value, b[j].value)});
            ++i;
            ++j;
        }
    }
    return out;
}

// For drawing: [x.front, x.back] cut into `buckets` equal buckets; each keeps its lowest
// and highest point in x order (peaks survive) and its first NaN (a gap survives). Two
// points per bucket instead of decimateMinMax's up to five: Qt Charts pays ~10 µs per
// vertex of a jagged line, and a resource chart can hold ten of them. Series with at
// most 2*buckets points come back unchanged.
void decimateEnvelope(std::vector<double>& x, std::vector<double>& y, int buckets);

// histogram_quantile(q, buckets).value; NaN where Prometheus gives NaN.
double histogramQuantileOf(double q, const std::vector<QuantileBucket>& buckets);

} // namespace vigil
