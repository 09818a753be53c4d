#pragma once
// The decision settings of each scored feature: DriftOptions' defaults with the per-feature
// overrides of the config's "drift.features" applied.
#include "engine/drift_types.h"

#include <string>
#include <vector>

namespace vigil {

struct ResolvedDecision
{
    double minimumEffect = 0.1;
    double thresholdSigmas = 3.0;
    bool ignore = false;
    double featureAlpha = 0.005;
    std::size_t pairBelowRows = 1000;
    double pairOwnAlpha = 0.1;
    double pairThresholdSigmas = 2.0;
};

// One entry per feature, in order.
std::vector<ResolvedDecision> featureDecisions(const std::vector<FeatureDrift>& features,
                                               const DriftOptions& options);

// The effect size a decision and its reference band use: KS D, or JS for a categorical.
std::optional<double> decisionEffect(const FeatureDrift& f);

// The p-value a decision uses: for a numeric feature min(1, 2 min(KS p, binned chi-square p))
// (KS alone when the binned test is unknown), for a categorical the chi-square p with sparse
// categories pooled (the unpooled one when the pooled is unknown).
std::optional<double> decisionPValue(const FeatureDrift& f);

// The decision settings of one feature by its report name (featureDecisions for one).
ResolvedDecision featureDecision(const std::string& name, const DriftOptions& options);

// Sets every FeatureDrift::drifted with decideWindow (drift/decision.h): Benjamini-Hochberg
// across the window's features (ignored ones left out), the feature's featureAlpha and
// minimum effect, and above its band (effectBand over referenceEffects[f]; no band with
// fewer than 2 values); or the same on the two-window pool (FeatureDrift::pairP) when it was
// computed, with the window's own p below the feature's pairOwnAlpha. referenceCounts[f][i]: the values of
// the window of referenceEffects[f][i]; without them (a saved profile) the band is flat.
void applyDecisions(std::vector<WindowDrift>& windows,
                    const std::vector<std::vector<double>>& referenceEffects, const DriftOptions& options,
                    const std::vector<std::vector<double>>& referenceCounts = {});

// Names in options.features that no scored feature has (a typo, or another log's config).
std::vector<std::string> unknownDecisionFeatures(const std::vector<FeatureDrift>& features,
                                                 const DriftOptions& options);

} // namespace vigil
