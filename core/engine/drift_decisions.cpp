#include "engine/drift_decisions.h"

#include "drift/decision.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil {

std::vector<ResolvedDecision> featureDecisions(const std::vector<FeatureDrift>& features,
                                               const DriftOptions& options)
{
    std::vector<ResolvedDecision> out;
    out.reserve(features.size());
    for (const FeatureDrift& f : features) {
        ResolvedDecision d{options.minimumEffect, options.thresholdSigmas, false};
        if (const auto it = options.features.find(f.name); it != options.features.end()) {
            d.minimumEffect = it->second.minimumEffect.value_or(d.minimumEffect);
            d.thresholdSigmas = it->second.thresholdSigmas.value_or(d.thresholdSigmas);
            d.ignore = it->second.ignore;
        }
        out.push_back(d);
    }
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

void applyDecisions(std::vector<WindowDrift>& windows,
                    const std::vector<std::vector<double>>& referenceEffects, const DriftOptions& options)
{
    if (windows.empty())
        return;
    constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
    const std::size_t features = windows.front().features.size();
    const auto settings = featureDecisions(windows.front().features, options);
    std::vector<std::optional<ReferenceThreshold>> bands(features);
    for (std::size_t f = 0; f < features && f < referenceEffects.size(); ++f) {
        ThresholdRule rule;
        rule.lowerMultiplier = std::nullopt;
        rule.upperMultiplier = settings[f].thresholdSigmas;
        rule.lowerLimit = 0.0;
        rule.upperLimit = 1.0;
        if (referenceEffects[f].size() >= 2)
            bands[f] = thresholdFromReference(referenceEffects[f], rule);
    }
    DecisionRule decision;
    decision.alpha = options.alpha;
    decision.correction = Correction::BenjaminiHochberg;
    decision.minimumEffect = 0.0; // per feature below
    for (WindowDrift& wd : windows) {
        std::vector<double> p;
        std::vector<double> effect;
        for (std::size_t f = 0; f < features; ++f) {
            const FeatureDrift& fd = wd.features[f];
            // An ignored feature's NaN p-value is outside the Benjamini-Hochberg family.
            p.push_back(settings[f].ignore ? kNan : (fd.categorical ? fd.chi2P : fd.ksP).value_or(kNan));
            effect.push_back(decisionEffect(fd).value_or(kNan));
        }
        const auto significant = decideFeatureDrift(p, effect, decision);
        for (std::size_t f = 0; f < features; ++f) {
            const bool outsideBand = !bands[f] || breaches(*bands[f], decisionEffect(wd.features[f]));
            wd.features[f].drifted = significant[f] && effect[f] >= settings[f].minimumEffect && outsideBand;
        }
    }
}

} // namespace vigil
