#pragma once
// One FeatureDrift row of the report from a feature's statistics, shared by the live
// drift pass and the pass against a saved reference profile so both report alike.
#include "drift/categorical_drift.h"
#include "drift/numeric_drift.h"
#include "engine/drift_types.h"

#include <string>

namespace vigil {

FeatureDrift featureDriftFromNumeric(const std::string& name, const NumericDrift& n);
FeatureDrift featureDriftFromCategorical(const std::string& name, const CategoricalDrift& c);

} // namespace vigil
