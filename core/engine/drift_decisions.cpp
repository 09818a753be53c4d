#include "engine/drift_decisions.h"

#include <algorithm>

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
    for (const auto& [name, settings] : options.features)
        if (std::none_of(features.begin(), features.end(),
                         [&](const FeatureDrift& f) { return f.name == name; }))
            out.push_back(name);
    return out;
}

} // namespace vigil
