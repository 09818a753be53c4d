#pragma once
// The features x windows matrix the drift heatmap paints: one statistic per cell, rows
// grouped (numeric, categorical, prediction and label) and sorted so the features that
// drifted most come first, and a colour scale per statistic.
#include "engine/drift_types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

enum class DriftStatistic
{
    KsD,
    Wasserstein,
    Psi,
    JensenShannon,
    Hellinger,
    ChiSquare,
    MissingShare
};

inline constexpr DriftStatistic kAllDriftStatistics[] = {
    DriftStatistic::KsD,           DriftStatistic::Wasserstein, DriftStatistic::Psi,
    DriftStatistic::JensenShannon, DriftStatistic::Hellinger,   DriftStatistic::ChiSquare,
    DriftStatistic::MissingShare};

// "ks", "wasserstein", "psi", "js", "hellinger", "chi2", "missing".
std::optional<DriftStatistic> driftStatisticFromName(std::string_view name);
std::string_view driftStatisticName(DriftStatistic s);
std::string_view driftStatisticLabel(DriftStatistic s); // "KS D", "Wasserstein-1", …
std::optional<double> statisticValue(const FeatureDrift& f, DriftStatistic s);

enum class FeatureGroup
{
    Numeric,
    Categorical,
    Output // the prediction and the label
};
std::string_view featureGroupLabel(FeatureGroup g);

// Cell values map to [0, 1] on [0, upper] (values above are clipped and the legend says
// so). Bounded statistics have a fixed upper end so colours mean the same in every log;
// unbounded ones (Wasserstein in feature units, chi²) use the 99th percentile of the data.
struct HeatmapScale
{
    double upper = 1.0;
    bool dataDriven = false;
    double position(double value) const; // clamped to [0, 1]
};

struct HeatmapFeature
{
    std::size_t index = 0; // into DriftSnapshot windows' features
    std::string name;
    FeatureGroup group = FeatureGroup::Numeric;
    int driftedWindows = 0;
    double maxValue = 0.0; // of the chosen statistic; 0 when it is null everywhere
};

struct DriftHeatmapModel
{
    DriftStatistic statistic = DriftStatistic::KsD;
    std::size_t windows = 0;
    std::vector<std::int64_t> windowStartMs;
    std::vector<HeatmapFeature> features; // grouped (Numeric, Categorical, Output), sorted inside
    // Row-major in `features` order: values[row * windows + w]; NaN = null (no value).
    std::vector<float> values;
    std::vector<std::uint8_t> drifted;
    HeatmapScale scale;

    float value(std::size_t row, std::size_t w) const { return values[row * windows + w]; }
    bool isDrifted(std::size_t row, std::size_t w) const { return drifted[row * windows + w] != 0; }
    // Row of a feature name, or -1.
    int rowOf(std::string_view name) const;
};

// The window to open for a feature when none was picked: the drifted window with the
// largest statistic, else the largest statistic, else the last window. nullopt: unknown
// feature or no windows.
std::optional<std::size_t> mostDriftedWindow(const DriftSnapshot& drift, std::string_view feature,
                                             DriftStatistic statistic);

// Rows: most drifted windows first, then the largest value of the statistic, then the name.
DriftHeatmapModel buildHeatmapModel(const DriftSnapshot& drift, DriftStatistic statistic);

} // namespace vigil
