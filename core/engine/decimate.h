#pragma once
// Reduces a long series to what a chart of a given pixel width can show: for each
// pixel bucket the first, min, max and last point (in x order), so peaks survive.
// Non-finite y values are kept as points (NaN = a gap for the chart to draw).
#include <span>
#include <vector>

namespace vigil {

struct DecimatedSeries
{
    std::vector<double> x;
    std::vector<double> y;
};

// x must be ascending. buckets = roughly the plot's width in pixels; series with
// at most 2*buckets points come back unchanged.
DecimatedSeries decimateMinMax(std::span<const double> x, std::span<const double> y, int buckets);

} // namespace vigil
