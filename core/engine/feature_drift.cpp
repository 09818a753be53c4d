#include "engine/feature_drift.h"

namespace vigil {

FeatureDrift featureDriftFromNumeric(const std::string& name, const NumericDrift& n)
{
    FeatureDrift f;
    f.name = name;
    if (n.ks) {
        f.ksD = n.ks->statistic;
        f.ksP = n.ks->pValue;
    }
    f.wasserstein = n.wasserstein;
    f.psi = n.psi;
    f.js = n.jensenShannon;
    f.hellinger = n.hellinger;
    f.missingShare = n.missing.share;
    f.count = n.missing.rows - n.missing.missing;
    if (n.binnedChiSquare)
        f.binChi2P = n.binnedChiSquare->pValue;
    return f;
}

FeatureDrift featureDriftFromCategorical(const std::string& name, const CategoricalDrift& c)
{
    FeatureDrift f;
    f.name = name;
    f.categorical = true;
    if (c.chiSquare) {
        f.chi2 = c.chiSquare->statistic;
        f.chi2P = c.chiSquare->pValue;
    }
    if (c.pooledChiSquare)
        f.chi2PooledP = c.pooledChiSquare->pValue;
    f.psi = c.psi;
    f.js = c.jensenShannon;
    f.hellinger = c.hellinger;
    f.missingShare = c.missing.share;
    f.count = c.missing.rows - c.missing.missing;
    return f;
}

} // namespace vigil
