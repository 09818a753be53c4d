#include "engine/drift_decisions.h"

#include "drift/decision.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil {

ResolvedDecision featureDecision(const std::string& name, const DriftOptions& options)
{
    ResolvedDecision d{options.minimumEffect,      options.thresholdSigmas, false,
                       options.featureAlpha,       options.pairBelowRows,   options.pairOwnAlpha,
                       options.pairThresholdSigmas};
    if (const auto it = options.features.find(name); it != options.features.end()) {
        d.minimumEffect = it->second.minimumEffect.value_or(d.minimumEffect);
        d.thresholdSigmas = it->second.thresholdSigmas.value_or(d.thresholdSigmas);
        d.featureAlpha = it->second.featureAlpha.value_or(d.featureAlpha);
        d.pairBelowRows = it->second.pairBelowRows.value_or(d.pairBelowRows);
        d.pairOwnAlpha = it->second.pairOwnAlpha.value_or(d.pairOwnAlpha);
        d.pairThresholdSigmas = it->second.pairThresholdSigmas.value_or(d.pairThresholdSigmas);
        d.ignore = it->second.ignore;
    }
    return d;
}

std::vector<ResolvedDecision> featureDecisions(const std::vector<FeatureDrift>& features,
                                               const DriftOptions& options)
{
    std::vector<ResolvedDecision> out;
    out.reserve(features.size());
    for (const FeatureDrift& f : features)
        out.push_back(featureDecision(f.name, options));
    return out;
}

std::vector<std::string> unknownDecisionFeatures(const std::vector<FeatureDrift>& features,
                                                 const DriftOptions& options)
{
    std::vector<std::string> out;
    // An explicit pair, not a structured binding: clang 14 (the fuzz preset) cannot
    // capture a binding in a lambda.
    for (const auto& entry : options.features) {
        const std::string& name = entry.first;
        if (std::none_of(features.begin(), features.end(),
                         [&](const FeatureDrift& f) { return f.name == name; }))
            out.push_back(name);
    }
    return out;
}

std::optional<double> decisionEffect(const FeatureDrift& f)
{
    return f.categorical ? f.js : f.ksD;
}

std::optional<double> decisionPValue(const FeatureDrift& f)
{
    if (f.categorical)
        return f.chi2PooledP ? f.chi2PooledP : f.chi2P;
    // Two tests, Bonferroni-combined: KS for shifts, the binned chi-square for spread.
    if (f.ksP && f.binChi2P)
        return std::min(1.0, 2.0 * std::min(*f.ksP, *f.binChi2P));
    return f.ksP;
}

void applyDecisions(std::vector<WindowDrift>& windows,
                    const std::vector<std::vector<double>>& referenceEffects, const DriftOptions& options,
                    const std::vector<std::vector<double>>& referenceCounts)
{
    if (windows.empty())
        return;
    constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
    const std::size_t features = windows.front().features.size();
    const auto settings = featureDecisions(windows.front().features, options);
    std::vector<std::optional<EffectBand>> bands(features);
    std::vector<std::optional<EffectBand>> pairBands(features);
    for (std::size_t f = 0; f < features && f < referenceEffects.size(); ++f) {
        const std::span<const double> counts = f < referenceCounts.size()
                                                   ? std::span<const double>(referenceCounts[f])
                                                   : std::span<const double>();
        bands[f] = effectBand(referenceEffects[f], counts, settings[f].thresholdSigmas);
        pairBands[f] = bands[f];
        if (pairBands[f])
            pairBands[f]->sigmas = settings[f].pairThresholdSigmas;
    }
    std::vector<FeatureEvidence> evidence(features);
    for (WindowDrift& wd : windows) {
        for (std::size_t f = 0; f < features; ++f) {
            const FeatureDrift& fd = wd.features[f];
            FeatureEvidence& e = evidence[f];
            // An ignored feature's NaN p-value is outside the Benjamini-Hochberg family.
            e.p = settings[f].ignore ? kNan : decisionPValue(fd).value_or(kNan);
            e.effect = decisionEffect(fd).value_or(kNan);
            e.count = static_cast<double>(fd.count);
            e.featureAlpha = settings[f].featureAlpha;
            e.minimumEffect = settings[f].minimumEffect;
            e.band = bands[f];
            // An ignored feature's pool is outside its family too.
            e.pairP = settings[f].ignore ? kNan : fd.pairP.value_or(kNan);
            e.pairEffect = fd.pairEffect.value_or(kNan);
            e.pairCount = static_cast<double>(fd.pairCount);
            e.pairOwnAlpha = settings[f].pairOwnAlpha;
            e.pairBand = pairBands[f];
        }
        const auto drifted = decideWindow(evidence, options.alpha);
        for (std::size_t f = 0; f < features; ++f)
            wd.features[f].drifted = drifted[f];
    }
}

} // namespace vigil
