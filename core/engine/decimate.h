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
// at most 2*buckets points (or buckets <= 0, or a non-finite first/last x) come
// back unchanged.
// Exact rule: [x.front, x.back] is cut into `buckets` equal-width buckets
// (bucket = floor((x - x.front) / (x.back - x.front) * buckets), the last point
// falling into the last bucket). For each non-empty bucket the output holds, in
// x order and each point at most once: the first point, the point with the
// smallest y, the one with the largest y (min/max skip NaN, see +/-Inf, earliest
// wins a tie), the last point, and the first NaN point if the bucket has any.
// So a bucket gives 1 to 5 points, peaks survive, and a NaN gap survives at
// its own x with the finite neighbours around it.
DecimatedSeries decimateMinMax(std::span<const double> x, std::span<const double> y, int buckets);

} // namespace vigil
