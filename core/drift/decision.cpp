#include "decision.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace vigil {

FdrResult benjaminiHochberg(std::span<const double> pValues, double q)
{
    FdrResult result;
    result.rejected.assign(pValues.size(), false);
    result.threshold = q;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < pValues.size(); ++i)
        if (!std::isnan(pValues[i]))
            order.push_back(i);
    const double n = static_cast<double>(order.size());
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return pValues[a] < pValues[b]; });
    std::size_t k = 0;
    for (std::size_t rank = 1; rank <= order.size(); ++rank) {
        const double t = q * static_cast<double>(rank) / n;
        if (pValues[order[rank - 1]] < t) {
            k = rank;
            result.threshold = t;
        }
    }
    result.anyRejected = k > 0;
    for (std::size_t r = 0; r < k; ++r)
        result.rejected[order[r]] = true;
    return result;
}

std::vector<bool> bonferroni(std::span<const double> pValues, double alpha)
{
    const auto n = std::count_if(pValues.begin(), pValues.end(), [](double p) { return !std::isnan(p); });
    std::vector<bool> out(pValues.size(), false);
    for (std::size_t i = 0; i < pValues.size(); ++i)
        out[i] = !std::isnan(pValues[i]) && pValues[i] < alpha / static_cast<double>(n);
    return out;
}

std::optional<ReferenceThreshold> thresholdFromReference(std::span<const double> values,
                                                         const ThresholdRule& rule)
{
    std::vector<double> v;
    for (double x : values)
        if (!std::isnan(x))
            v.push_back(x);
    if (v.empty())
        return std::nullopt;
    const double n = static_cast<double>(v.size());
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
    double sq = 0.0;
    for (double x : v)
        sq += (x - mean) * (x - mean);
    const double sd = std::sqrt(sq / n);
    std::sort(v.begin(), v.end());
    double offset = mean;
    switch (rule.offset) {
    case ThresholdOffset::Mean:
        break;
    case ThresholdOffset::Median:
        offset = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2.0;
        break;
    case ThresholdOffset::Min:
        offset = v.front();
        break;
    case ThresholdOffset::Max:
        offset = v.back();
        break;
    }
    auto clip = [&](double x) {
        if (rule.lowerLimit)
            x = std::max(x, *rule.lowerLimit);
        if (rule.upperLimit)
            x = std::min(x, *rule.upperLimit);
        return x;
    };
    ReferenceThreshold t;
    if (rule.lowerMultiplier)
        t.lower = clip(offset - *rule.lowerMultiplier * sd);
    if (rule.upperMultiplier)
        t.upper = clip(offset + *rule.upperMultiplier * sd);
    return t;
}

bool breaches(const ReferenceThreshold& threshold, std::optional<double> value)
{
    if (!value || std::isnan(*value))
        return false;
    return (threshold.lower && *value < *threshold.lower) || (threshold.upper && *value > *threshold.upper);
}

std::vector<bool> decideFeatureDrift(std::span<const double> pValues, std::span<const double> effectSizes,
                                     const DecisionRule& rule)
{
    std::vector<bool> significant;
    switch (rule.correction) {
    case Correction::None:
        significant.resize(pValues.size());
        for (std::size_t i = 0; i < pValues.size(); ++i)
            significant[i] = !std::isnan(pValues[i]) && pValues[i] < rule.alpha;
        break;
    case Correction::Bonferroni:
        significant = bonferroni(pValues, rule.alpha);
        break;
    case Correction::BenjaminiHochberg:
        significant = benjaminiHochberg(pValues, rule.alpha).rejected;
        break;
    }
    for (std::size_t i = 0; i < significant.size(); ++i) {
        const double effect = i < effectSizes.size() ? effectSizes[i] : std::nan("");
        significant[i] = significant[i] && !std::isnan(effect) && effect >= rule.minimumEffect;
    }
    return significant;
}

} // namespace vigil
