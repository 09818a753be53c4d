#include "engine/decimate.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace vigil {
namespace {

void appendUnchanged(DecimatedSeries& out, std::span<const double> x, std::span<const double> y)
{
    out.x.assign(x.begin(), x.end());
    out.y.assign(y.begin(), y.end());
}

} // namespace

DecimatedSeries decimateMinMax(std::span<const double> x, std::span<const double> y, int buckets)
{
    DecimatedSeries out;
    const std::size_t n = std::min(x.size(), y.size());
    x = x.first(n);
    y = y.first(n);
    if (buckets <= 0 || n <= 2 * static_cast<std::size_t>(buckets) || !std::isfinite(x.front()) ||
        !std::isfinite(x.back())) {
        appendUnchanged(out, x, y);
        return out;
    }
    const double x0 = x.front();
    const double width = x.back() - x0;
    const auto bucketOf = [&](double v) {
        if (!(width > 0.0))
            return 0;
        const double b = std::floor((v - x0) / width * buckets);
        return static_cast<int>(std::clamp(b, 0.0, static_cast<double>(buckets - 1)));
    };

    out.x.reserve(5 * static_cast<std::size_t>(buckets));
    out.y.reserve(5 * static_cast<std::size_t>(buckets));
    for (std::size_t begin = 0; begin < n;) {
        const int bucket = bucketOf(x[begin]);
        std::size_t end = begin + 1;
        while (end < n && bucketOf(x[end]) == bucket)
            ++end;
        // first, min, max, last, first NaN; min/max ignore NaN but see +/-Inf.
        constexpr std::size_t kNone = static_cast<std::size_t>(-1);
        std::size_t minAt = kNone, maxAt = kNone, nanAt = kNone;
        for (std::size_t i = begin; i < end; ++i) {
            const double v = y[i];
            if (std::isnan(v)) {
                if (nanAt == kNone)
                    nanAt = i;
                continue;
            }
            if (minAt == kNone || v < y[minAt])
                minAt = i;
            if (maxAt == kNone || v > y[maxAt])
                maxAt = i;
        }
        std::array<std::size_t, 5> picks = {begin, minAt, maxAt, end - 1, nanAt};
        std::sort(picks.begin(), picks.end());
        std::size_t previous = kNone;
        for (std::size_t i : picks) {
            if (i == kNone || i == previous)
                continue;
            out.x.push_back(x[i]);
            out.y.push_back(y[i]);
            previous = i;
        }
        begin = end;
    }
    return out;
}

} // namespace vigil
