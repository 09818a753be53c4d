#include "stats/kll_estimates.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace vigil::stats {

double ksStatisticSketch(std::span<const double> a, const KllSortedView& finite, std::uint64_t negInf,
                         std::uint64_t posInf)
{
    constexpr double kInf = std::numeric_limits<double>::infinity();
    // The window's steps: -Inf, the sketch's values, +Inf, with cumulative weights.
    std::vector<double> values;
    std::vector<std::uint64_t> cumulative;
    values.reserve(finite.values().size() + 2);
    cumulative.reserve(finite.values().size() + 2);
    if (negInf > 0) {
        values.push_back(-kInf);
        cumulative.push_back(negInf);
    }
    for (std::size_t i = 0; i < finite.values().size(); ++i) {
        values.push_back(finite.values()[i]);
        cumulative.push_back(negInf + finite.cumulative()[i]);
    }
    if (posInf > 0) {
        values.push_back(kInf);
        cumulative.push_back(negInf + finite.count() + posInf);
    }
    if (a.empty() || values.empty())
        return 0.0;
    const double n1 = static_cast<double>(a.size());
    const double n2 = static_cast<double>(cumulative.back());
    // Both CDFs are right-continuous steps: the sup is at one of the jump points, and the
    // left limit at a point is the value at the previous one.
    double d = 0.0;
    std::size_t i = 0;
    std::size_t j = 0;
    std::uint64_t below = 0;
    while (i < a.size() || j < values.size()) {
        const double x = i == a.size() ? values[j] : j == values.size() ? a[i] : std::min(a[i], values[j]);
        while (i < a.size() && a[i] <= x)
            ++i;
        while (j < values.size() && values[j] <= x)
            below = cumulative[j++];
        d = std::max(d, std::abs(static_cast<double>(i) / n1 - static_cast<double>(below) / n2));
    }
    return std::min(d, 1.0);
}

std::optional<double> wassersteinSketch(std::span<const double> a, const KllSortedView& finite)
{
    const auto b = finite.values();
    const auto cb = finite.cumulative();
    if (a.empty() || b.empty())
        return std::nullopt;
    const auto n1 = static_cast<long double>(a.size());
    const auto n2 = static_cast<long double>(finite.count());
    std::size_t i = 0;
    std::size_t j = 0;
    long double total = 0.0L;
    double x = std::min(a[0], b[0]);
    while (true) {
        while (i < a.size() && a[i] <= x)
            ++i;
        while (j < b.size() && b[j] <= x)
            ++j;
        if (i == a.size() && j == b.size())
            break;
        const double next = i == a.size() ? b[j] : j == b.size() ? a[i] : std::min(a[i], b[j]);
        const long double g = j == 0 ? 0.0L : static_cast<long double>(cb[j - 1]) / n2;
        total += std::abs(static_cast<long double>(i) / n1 - g) * (static_cast<long double>(next) - x);
        x = next;
    }
    return static_cast<double>(total);
}

std::optional<double> rocAucSketch(const KllSortedView& pos, const KllSortedView& neg)
{
    if (pos.count() == 0 || neg.count() == 0)
        return std::nullopt;
    // classification.cpp's rocAuc with weights: doubled counts keep the sum an integer.
    std::uint64_t twiceWins = 0;
    std::size_t k = 0;
    std::uint64_t below = 0;
    const auto nv = neg.values();
    for (std::size_t i = 0; i < pos.values().size(); ++i) {
        const double s = pos.values()[i];
        while (k < nv.size() && nv[k] < s)
            below = neg.cumulative()[k++];
        const std::uint64_t at = k < nv.size() && nv[k] == s ? neg.weightAt(k) : 0;
        twiceWins += pos.weightAt(i) * (2 * below + at);
    }
    return static_cast<double>(twiceWins) /
           (2.0 * static_cast<double>(pos.count()) * static_cast<double>(neg.count()));
}

std::optional<double> cbpeRocAucSketch(const KllSortedView& scores, std::span<const double> calibrated)
{
    const auto values = scores.values();
    if (values.empty() || calibrated.size() != values.size())
        return std::nullopt;
    // Descending: each step's negatives beat the positives above it, half of those at it.
    long double above = 0.0L;
    long double area = 0.0L;
    long double negatives = 0.0L;
    for (std::size_t i = values.size(); i-- > 0;) {
        const auto w = static_cast<long double>(scores.weightAt(i));
        const long double pos = w * calibrated[i];
        const long double neg = w - pos;
        area += neg * (above + pos / 2);
        above += pos;
        negatives += neg;
    }
    if (!(above > 0.0L) || !(negatives > 0.0L))
        return std::nullopt;
    return static_cast<double>(area / (above * negatives));
}

} // namespace vigil::stats
