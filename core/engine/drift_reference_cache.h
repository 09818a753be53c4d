#pragma once
// What computeDrift builds from the reference alone, kept between calls over different rows of
// one log: the bounded report (docs/MEMORY.md) scores its batches one by one, and without this
// each batch would sort the reference, fit the PCA, calibrate CBPE and score the reference
// windows again — work that grows with the number of batches, so with the log's size squared.
// The first call (its table holds the reference rows) fills it; later calls need only the rows
// of their own windows, and give the same numbers as one call over the whole log.
#include "drift/categorical_drift.h"
#include "drift/cbpe.h"
#include "drift/numeric_drift.h"
#include "drift/pca_reconstruction.h"
#include "engine/drift_analysis.h"

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace vigil {

struct DriftReferenceCache
{
    bool filled = false;
    DriftReferenceInfo reference;
    // By feature index (featureSources' order); the slot of the other kind stays empty. The
    // numeric reference without its search index and prefix sums, which cost 3x its values.
    std::vector<std::shared_ptr<const NumericReference>> numeric;
    std::vector<std::shared_ptr<const CategoricalReference>> categorical;
    std::optional<PcaReconstruction> pca; // empty when the fit was impossible
    std::optional<IsotonicCalibrator> calibrator;
    // The reference windows' statistics before the decision, by window index: every later
    // call's bands (features and PCA) are built from them.
    std::map<std::size_t, std::vector<FeatureDrift>> referenceFeatures;
    std::map<std::size_t, std::optional<double>> referenceErrors;
};

} // namespace vigil
