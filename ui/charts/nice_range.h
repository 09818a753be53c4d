#pragma once
// Qt Charts' "nice numbers" for a value axis, computed without an axis, so that a chart
// can tell whether a live update needs a new y range before touching the axis (setting a
// range re-lays out the axis labels and repaints the chart). Private to ui/charts/.
namespace vigil {

struct NiceRange
{
    double min, max;
    int ticks;
};

// QValueAxis::applyNiceNumbers for [lo, hi] and a wanted tick count: steps of 1, 2 or
// 5 × 10^n (Qt's AbstractDomain::looseNiceNumbers).
NiceRange niceRange(double lo, double hi, int ticks);

} // namespace vigil
