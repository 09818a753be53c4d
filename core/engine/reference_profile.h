#pragma once
// Reference profiles (docs/DRIFT.md, "Reference profiles"): everything drift needs from a
// reference, built once and saved as a small JSON file, so later reports need not re-read
// the reference data. Versioned: {"vigil_reference_profile": 1, ...}.
#include "drift/numeric_drift.h"
#include "drift/pca_reconstruction.h"
#include "engine/analysis.h"

#include <cstddef>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// A numeric feature with at most this many non-NaN reference values keeps them all (every
// statistic exact); above it a sketch of kProfileSketchPoints order statistics.
inline constexpr std::size_t kProfileExactValues = 10'000;
inline constexpr std::size_t kProfileSketchPoints = 10'001;

struct ProfileNumeric
{
    std::size_t rows = 0;    // including missing
    std::size_t missing = 0; // null or NaN
    bool exact = true;
    std::vector<double> values;    // exact: every non-NaN value, ascending; else the sketch
    std::vector<double> edges;     // NumericReference::edges of the full reference
    std::vector<double> binCounts; // NumericReference::binCounts of the full reference
    std::optional<double> mean, stdDev;
};

struct ProfileCategorical
{
    std::size_t rows = 0;
    std::size_t missing = 0;
    std::vector<std::string> categories; // in the order of the reference's codes
    std::vector<double> counts;          // parallel to categories
};

struct ProfileFeature
{
    std::string name;
    bool categorical = false;
    ProfileNumeric numeric;
    ProfileCategorical cat;
    // Effect sizes (KS D or JS) of the reference windows, for the decision band; empty for
    // a reference that had no windows in the analysed log (a reference file).
    std::vector<double> referenceEffects;
    // The values each of those windows had, for the size-scaled band; empty in a profile
    // written before they were kept (the band is then flat).
    std::vector<double> referenceCounts;
};

struct ReferenceProfile
{
    DriftReferenceInfo reference; // of the reference the profile was built from
    std::string predictionKind;
    // The log's numeric features, then its categorical features, then prediction and label.
    std::vector<ProfileFeature> features;
    // Categorical codes in the state index the feature's `categories`.
    std::optional<PcaReconstruction::State> pca;
    std::vector<double> multivariateReferenceErrors;
    bool hasCalibrator = false;
    std::vector<double> calibratorX, calibratorY; // empty = identity (scores already calibrated)
};

// The NumericReference a window is scored against (the profile's values, exact or its
// order-statistics sketch, with the full reference's bins and moments).
NumericReference numericReference(const ProfileNumeric& p);

// From an analysis whose drift was computed with a range or file reference (not rolling).
Result<ReferenceProfile> buildReferenceProfile(const LogTable& table, const AnalysisSnapshot& snapshot,
                                               const DriftOptions& options);

std::string referenceProfileToJson(const ReferenceProfile& profile);
Result<ReferenceProfile> parseReferenceProfile(std::string_view json);
Result<ReferenceProfile> loadReferenceProfile(const std::string& path);

// Drift of every window against the profile. Errors name what of the log does not fit the
// profile (a feature missing on either side, or of another kind).
Result<DriftSnapshot> computeDriftFromProfile(const LogTable& table, const AnalysisSnapshot& snapshot,
                                              const DriftOptions& options, const ReferenceProfile& profile,
                                              std::stop_token stop = {});

} // namespace vigil
