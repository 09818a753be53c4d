#include "charts/nice_range.h"

#include <cmath>

namespace vigil {

namespace {

double niceNumber(double x, bool ceiling)
{
    const double z = std::pow(10.0, std::floor(std::log10(x)));
    double q = x / z;
    if (ceiling)
        q = q <= 1.0 ? 1.0 : q <= 2.0 ? 2.0 : q <= 5.0 ? 5.0 : 10.0;
    else
        q = q < 1.5 ? 1.0 : q < 3.0 ? 2.0 : q < 7.0 ? 5.0 : 10.0;
    return q * z;
}

} // namespace

NiceRange niceRange(double lo, double hi, int ticks)
{
    if (!(hi > lo) || !std::isfinite(hi - lo))
        return {lo, hi, ticks};
    const double range = niceNumber(hi - lo, true);
    const double step = niceNumber(range / (ticks - 1), false);
    const double from = std::floor(lo / step);
    const double to = std::ceil(hi / step);
    return {from * step, to * step, static_cast<int>(to - from) + 1};
}

} // namespace vigil
