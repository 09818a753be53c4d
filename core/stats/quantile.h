#pragma once
// Exact quantiles with numpy's default ('linear') method, NaN excluded as
// np.nanpercentile does. Matching numpy to the last bit matters because the
// report's numbers are checked against numpy by users and by our tests.
#include <optional>
#include <span>
#include <vector>

namespace vigil::stats {

// q in [0,1] (outside, or NaN: nullopt). Works on `values` in place (reorders it); NaN values are removed
// first. +/-Inf are kept and follow numpy 1.24 exactly: its lerp computes
// a + (b-a)*t, so an Inf anywhere in the interpolation pair gives NaN (even at
// t == 0), e.g. median of {1, 2, inf} is NaN. Empty after NaN removal -> nullopt.
std::optional<double> quantileInPlace(std::vector<double>& values, double q);

// Several quantiles over one copy of the data; result[i] belongs to qs[i].
std::vector<std::optional<double>> quantiles(std::span<const double> values, std::span<const double> qs);

// Same, consuming a scratch buffer the caller owns (avoids a copy per window).
std::vector<std::optional<double>> quantilesInPlace(std::vector<double>& values, std::span<const double> qs);

// Same numbers from values already sorted ascending without NaN (kept sorted as they
// grow, e.g. while following): no partitioning, O(1) per quantile.
std::vector<std::optional<double>> quantilesSorted(std::span<const double> sorted,
                                                   std::span<const double> qs);

// Same numbers over the union of two sorted runs (NaN-free), without merging them:
// each order statistic is found by binary search, O(log n).
std::vector<std::optional<double>> quantilesSorted(std::span<const double> a, std::span<const double> b,
                                                   std::span<const double> qs);

} // namespace vigil::stats
