#pragma once
// histogram_quantile() for classic (bucketed) histograms as Prometheus v3.9.1
// computes it (promql/quantile.go BucketQuantile), including the monotonicity fix
// and the 1e-12 relative tolerance for floating-point noise between buckets.
#include "prom/metric_points.h"

#include <optional>
#include <vector>

namespace vigil {

struct QuantileBucket
{
    double upperBound = 0.0; // the "le" value; +Inf for the last bucket
    double count = 0.0;      // cumulative count (or a rate of it)
};

struct HistogramQuantileResult
{
    double value = 0.0;
    // Prometheus' info annotation "input to histogram_quantile needed to be fixed for
    // monotonicity": some bucket count was lower than a previous one.
    bool forcedMonotonic = false;
    // Differences below the 1e-12 relative tolerance were ironed out silently.
    bool fixedPrecision = false;
};

// Buckets may come in any order and with duplicate bounds ("0.2", "2e-1" after
// parsing); they are sorted and coalesced as Prometheus does. q < 0 -> -Inf,
// q > 1 -> +Inf, NaN q -> NaN; no +Inf bucket, fewer than two buckets or no
// observations -> NaN. An empty bucket list gives NaN whatever q is (Prometheus
// would produce no sample at all).
HistogramQuantileResult histogramQuantile(double q, std::vector<QuantileBucket> buckets);

// Convenience for a parsed histogram point.
HistogramQuantileResult histogramQuantile(double q, const HistogramPoint& point);

// A summary's quantile is precomputed by the client: pass it through when exposed.
std::optional<double> summaryQuantile(const SummaryPoint& point, double q);

} // namespace vigil
