#include "sample_prep.h"

#include <algorithm>
#include <cmath>

namespace vigil {

std::vector<double> sortedWithoutNan(std::span<const double> values)
{
    std::vector<double> out;
    out.reserve(values.size());
    for (double v : values)
        if (!std::isnan(v))
            out.push_back(v);
    std::sort(out.begin(), out.end());
    return out;
}

std::size_t countNan(std::span<const double> values)
{
    return static_cast<std::size_t>(
        std::count_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }));
}

double quantileSorted(std::span<const double> sorted, double q)
{
    const std::size_t n = sorted.size();
    const double virtualIndex = static_cast<double>(n - 1) * q;
    if (virtualIndex >= static_cast<double>(n - 1))
        return sorted[n - 1];
    if (virtualIndex < 0)
        return sorted[0];
    const double prev = std::floor(virtualIndex);
    const auto i = static_cast<std::size_t>(prev);
    const double a = sorted[i];
    const double b = sorted[i + 1];
    const double gamma = virtualIndex - prev;
    const double diff = b - a;
    // numpy interpolates from the nearer end; equal neighbours give the value exactly.
    return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

std::span<const double> finitePart(std::span<const double> sorted)
{
    auto first = std::find_if(sorted.begin(), sorted.end(), [](double v) { return std::isfinite(v); });
    auto last =
        std::find_if(sorted.rbegin(), sorted.rend(), [](double v) { return std::isfinite(v); }).base();
    if (first >= last)
        return {};
    return sorted.subspan(static_cast<std::size_t>(first - sorted.begin()),
                          static_cast<std::size_t>(last - first));
}

} // namespace vigil
