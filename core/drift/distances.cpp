#include "distances.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace vigil {
namespace {

std::optional<std::vector<double>> normalised(std::span<const double> counts)
{
    double total = 0.0;
    for (double c : counts)
        total += c;
    if (!(total > 0.0))
        return std::nullopt;
    std::vector<double> p(counts.begin(), counts.end());
    for (double& v : p)
        v /= total;
    return p;
}

// x ln(x/y) with the conventions of scipy.special.rel_entr (0 when x == 0).
double relativeEntropyTerm(double x, double y)
{
    if (x == 0.0)
        return 0.0;
    return x * std::log(x / y);
}

} // namespace

std::optional<double> populationStabilityIndex(std::span<const double> ref, std::span<const double> cur)
{
    const auto p = normalised(ref);
    const auto q = normalised(cur);
    if (!p || !q || p->size() != q->size())
        return std::nullopt;
    double psi = 0.0;
    for (std::size_t i = 0; i < p->size(); ++i) {
        const double r = std::max((*p)[i], kPsiFloor);
        const double c = std::max((*q)[i], kPsiFloor);
        psi += (c - r) * std::log(c / r);
    }
    return psi;
}

std::optional<double> jensenShannonDistance(std::span<const double> ref, std::span<const double> cur)
{
    const auto p = normalised(ref);
    const auto q = normalised(cur);
    if (!p || !q || p->size() != q->size())
        return std::nullopt;
    double left = 0.0;
    double right = 0.0;
    for (std::size_t i = 0; i < p->size(); ++i) {
        const double m = ((*p)[i] + (*q)[i]) / 2.0;
        left += relativeEntropyTerm((*p)[i], m);
        right += relativeEntropyTerm((*q)[i], m);
    }
    const double js = (left + right) / std::numbers::ln2;
    return std::sqrt(std::max(js / 2.0, 0.0));
}

std::optional<double> hellingerDistance(std::span<const double> ref, std::span<const double> cur)
{
    const auto p = normalised(ref);
    const auto q = normalised(cur);
    if (!p || !q || p->size() != q->size())
        return std::nullopt;
    // 1 - sum sqrt(pq) == sum (sqrt p - sqrt q)^2 / 2 for normalised p, q; the second
    // form has no cancellation, so identical distributions give exactly 0 instead of
    // sqrt(rounding noise) ~ 1e-8.
    double halfSquares = 0.0;
    for (std::size_t i = 0; i < p->size(); ++i) {
        const double d = std::sqrt((*p)[i]) - std::sqrt((*q)[i]);
        halfSquares += d * d;
    }
    return std::sqrt(std::max(halfSquares / 2.0, 0.0));
}

} // namespace vigil
