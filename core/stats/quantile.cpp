#include "stats/quantile.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace vigil::stats {
namespace {

void dropNaN(std::vector<double>& values)
{
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
                 values.end());
}

// numpy.lib.function_base._lerp, branch for branch: the t >= 0.5 branch is
// computed from b so that t == 1 gives b exactly.
double numpyLerp(double a, double b, double t)
{
    const double diff = b - a;
    if (t >= 0.5)
        return b - diff * (1.0 - t);
    return a + diff * t;
}

// Index pair and weight as numpy's _get_indexes/_get_gamma compute them,
// including the quirk that at or past the last index both neighbours become
// the last element (index -1) and gamma = virtual + 1.
struct Neighbours
{
    std::ptrdiff_t previous;
    std::ptrdiff_t next;
    double gamma;
};

Neighbours neighbours(std::size_t n, double q)
{
    const double virtualIndex = static_cast<double>(n - 1) * q;
    double previous = std::floor(virtualIndex);
    double next = previous + 1.0;
    if (virtualIndex >= static_cast<double>(n) - 1.0) {
        previous = -1.0;
        next = -1.0;
    }
    if (virtualIndex < 0.0) {
        previous = 0.0;
        next = 0.0;
    }
    const double gamma = virtualIndex - previous;
    auto resolve = [n](double index) {
        const auto i = static_cast<std::ptrdiff_t>(index);
        return i < 0 ? static_cast<std::ptrdiff_t>(n) + i : i;
    };
    return {resolve(previous), resolve(next), gamma};
}

bool validQ(double q)
{
    return q >= 0.0 && q <= 1.0;
} // false for NaN too

} // namespace

std::optional<double> quantileInPlace(std::vector<double>& values, double q)
{
    const double qs[] = {q};
    return quantilesInPlace(values, qs).front();
}

std::vector<std::optional<double>> quantiles(std::span<const double> values, std::span<const double> qs)
{
    std::vector<double> copy(values.begin(), values.end());
    return quantilesInPlace(copy, qs);
}

std::vector<std::optional<double>> quantilesInPlace(std::vector<double>& values, std::span<const double> qs)
{
    std::vector<std::optional<double>> result(qs.size());
    dropNaN(values);
    const std::size_t n = values.size();
    if (n == 0)
        return result;

    // Visit quantiles in ascending order of their lower index so each
    // nth_element works on the part not yet partitioned.
    std::vector<std::size_t> order(qs.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::vector<Neighbours> pairs;
    pairs.reserve(qs.size());
    for (double q : qs)
        pairs.push_back(validQ(q) ? neighbours(n, q) : Neighbours{0, 0, 0.0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return pairs[a].previous < pairs[b].previous; });

    auto begin = values.begin();
    for (std::size_t i : order) {
        const Neighbours& p = pairs[i];
        if (!validQ(qs[i]))
            continue; // numpy raises; we answer "undefined"
        auto at = values.begin() + p.previous;
        if (at >= begin) {
            std::nth_element(begin, at, values.end());
            begin = at;
        }
        const double a = *at;
        double b = a;
        if (p.next != p.previous)
            b = *std::min_element(at + 1, values.end());
        result[i] = numpyLerp(a, b, p.gamma);
    }
    return result;
}

std::vector<std::optional<double>> quantilesSorted(std::span<const double> sorted, std::span<const double> qs)
{
    // nth_element puts at `previous` the value sorted order has there, and the smallest
    // value after it is the next one: the same pair, the same lerp.
    std::vector<std::optional<double>> result(qs.size());
    const std::size_t n = sorted.size();
    if (n == 0)
        return result;
    for (std::size_t i = 0; i < qs.size(); ++i) {
        if (!validQ(qs[i]))
            continue;
        const Neighbours p = neighbours(n, qs[i]);
        const double a = sorted[static_cast<std::size_t>(p.previous)];
        const double b = p.next != p.previous ? sorted[static_cast<std::size_t>(p.previous) + 1] : a;
        result[i] = numpyLerp(a, b, p.gamma);
    }
    return result;
}

namespace {

// The k-th smallest (0-based) of the union of sorted a and b: take i from a and k+1-i
// from b such that neither side's last taken value exceeds the other's first left.
double kth(std::span<const double> a, std::span<const double> b, std::size_t k)
{
    std::size_t lo = k + 1 > b.size() ? k + 1 - b.size() : 0;
    std::size_t hi = std::min(k + 1, a.size());
    while (lo < hi) {
        const std::size_t i = lo + (hi - lo) / 2;
        const std::size_t j = k + 1 - i;
        if (j > 0 && b[j - 1] > a[i])
            lo = i + 1; // b's last taken is above a's next: take more of a
        else
            hi = i;
    }
    const std::size_t i = lo;
    const std::size_t j = k + 1 - i;
    if (i == 0)
        return b[j - 1];
    if (j == 0)
        return a[i - 1];
    return std::max(a[i - 1], b[j - 1]);
}

} // namespace

std::vector<std::optional<double>> quantilesSorted(std::span<const double> a, std::span<const double> b,
                                                   std::span<const double> qs)
{
    std::vector<std::optional<double>> result(qs.size());
    const std::size_t n = a.size() + b.size();
    if (n == 0)
        return result;
    for (std::size_t i = 0; i < qs.size(); ++i) {
        if (!validQ(qs[i]))
            continue;
        const Neighbours p = neighbours(n, qs[i]);
        const auto previous = static_cast<std::size_t>(p.previous);
        const double lower = kth(a, b, previous);
        const double upper = p.next != p.previous ? kth(a, b, previous + 1) : lower;
        result[i] = numpyLerp(lower, upper, p.gamma);
    }
    return result;
}

} // namespace vigil::stats
