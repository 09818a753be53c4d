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

double noiseScale(double n, double referenceN)
{
    if (!(n > 0.0))
        return std::numeric_limits<double>::quiet_NaN();
    return std::sqrt(1.0 / n + (referenceN > 0.0 ? 1.0 / referenceN : 0.0));
}

double leaveOneOutEffect(double effect, double n, double referenceN)
{
    return referenceN > n ? effect * referenceN / (referenceN - n) : effect;
}

double EffectBand::upper(double n) const
{
    const double level = mean + sigmas * sd;
    if (referenceN <= 0.0 || !(n > 0.0))
        return level;
    return level * noiseScale(n, referenceN);
}

std::optional<EffectBand> effectBand(std::span<const double> effects, std::span<const double> counts,
                                     double sigmas)
{
    const bool sized =
        !counts.empty() && counts.size() == effects.size() &&
        std::all_of(counts.begin(), counts.end(), [](double c) { return std::isfinite(c) && c > 0.0; });
    EffectBand band;
    band.sigmas = sigmas;
    if (sized)
        band.referenceN = std::accumulate(counts.begin(), counts.end(), 0.0);
    std::vector<double> v;
    for (std::size_t i = 0; i < effects.size(); ++i) {
        if (std::isnan(effects[i]))
            continue;
        if (!sized) {
            v.push_back(effects[i]);
            continue;
        }
        const double n = counts[i];
        const double rest = band.referenceN - n;
        // A single reference window has no rest to compare with: no band from it.
        if (rest <= 0.0)
            return std::nullopt;
        v.push_back(leaveOneOutEffect(effects[i], n, band.referenceN) / noiseScale(n, rest));
    }
    if (v.size() < 2)
        return std::nullopt;
    const double count = static_cast<double>(v.size());
    band.mean = std::accumulate(v.begin(), v.end(), 0.0) / count;
    double sq = 0.0;
    for (double x : v)
        sq += (x - band.mean) * (x - band.mean);
    band.sd = std::sqrt(sq / count);
    return band;
}

std::vector<bool> decideWindow(std::span<const FeatureEvidence> features, double alpha)
{
    std::vector<double> p;
    std::vector<double> pairP;
    p.reserve(features.size());
    pairP.reserve(features.size());
    for (const FeatureEvidence& f : features) {
        p.push_back(f.p);
        pairP.push_back(f.pairP);
    }
    const std::vector<bool> alone = benjaminiHochberg(p, alpha).rejected;
    const std::vector<bool> pooled = benjaminiHochberg(pairP, alpha).rejected;
    const auto passes = [](const FeatureEvidence& f, bool rejected, double pValue, double effect, double n,
                           const std::optional<EffectBand>& band) {
        return rejected && pValue < f.featureAlpha && !std::isnan(effect) && effect >= f.minimumEffect &&
               (!band || effect > band->upper(n));
    };
    std::vector<bool> out(features.size(), false);
    for (std::size_t i = 0; i < features.size(); ++i) {
        const FeatureEvidence& f = features[i];
        const bool ownChange = f.p < f.pairOwnAlpha && !std::isnan(f.effect) && f.effect >= f.minimumEffect;
        out[i] = passes(f, alone[i], f.p, f.effect, f.count, f.band) ||
                 (ownChange && passes(f, pooled[i], f.pairP, f.pairEffect, f.pairCount, f.pairBand));
    }
    return out;
}

} // namespace vigil
