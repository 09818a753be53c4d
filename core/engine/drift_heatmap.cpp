#include "engine/drift_heatmap.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil {

namespace {

struct StatisticInfo
{
    DriftStatistic statistic;
    std::string_view name;
    std::string_view label;
    double fixedUpper; // 0 = from the data
};

// PSI: 0.1 is read as a moderate and 0.25 as a major shift, so 0.5 is the saturated end;
// distances in [0, 1] saturate at 0.5 too, since drift beyond that is unmistakable.
constexpr StatisticInfo kInfo[] = {
    {DriftStatistic::KsD, "ks", "KS D", 0.5},
    {DriftStatistic::Wasserstein, "wasserstein", "Wasserstein-1", 0.0},
    {DriftStatistic::Psi, "psi", "PSI", 0.5},
    {DriftStatistic::JensenShannon, "js", "Jensen-Shannon", 0.5},
    {DriftStatistic::Hellinger, "hellinger", "Hellinger", 0.5},
    {DriftStatistic::ChiSquare, "chi2", "chi²", 0.0},
    {DriftStatistic::MissingShare, "missing", "Missing share", 1.0},
};

const StatisticInfo& infoOf(DriftStatistic s)
{
    return kInfo[static_cast<std::size_t>(s)];
}

FeatureGroup groupOf(const FeatureDrift& f)
{
    if (f.categorical)
        return FeatureGroup::Categorical;
    if (f.name == "prediction" || f.name == "label")
        return FeatureGroup::Output;
    return FeatureGroup::Numeric;
}

} // namespace

std::optional<DriftStatistic> driftStatisticFromName(std::string_view name)
{
    for (const StatisticInfo& i : kInfo)
        if (i.name == name)
            return i.statistic;
    return std::nullopt;
}

std::string_view driftStatisticName(DriftStatistic s)
{
    return infoOf(s).name;
}

std::string_view driftStatisticLabel(DriftStatistic s)
{
    return infoOf(s).label;
}

std::string_view featureGroupLabel(FeatureGroup g)
{
    switch (g) {
    case FeatureGroup::Numeric:
        return "Numeric features";
    case FeatureGroup::Categorical:
        return "Categorical features";
    case FeatureGroup::Output:
        return "Prediction and label";
    }
    return "";
}

std::optional<double> statisticValue(const FeatureDrift& f, DriftStatistic s)
{
    switch (s) {
    case DriftStatistic::KsD:
        return f.ksD;
    case DriftStatistic::Wasserstein:
        return f.wasserstein;
    case DriftStatistic::Psi:
        return f.psi;
    case DriftStatistic::JensenShannon:
        return f.js;
    case DriftStatistic::Hellinger:
        return f.hellinger;
    case DriftStatistic::ChiSquare:
        return f.chi2;
    case DriftStatistic::MissingShare:
        return f.missingShare;
    }
    return std::nullopt;
}

double HeatmapScale::position(double value) const
{
    if (!(upper > 0.0) || !std::isfinite(value))
        return value > 0.0 ? 1.0 : 0.0;
    return std::clamp(value / upper, 0.0, 1.0);
}

int DriftHeatmapModel::rowOf(std::string_view name) const
{
    for (std::size_t r = 0; r < features.size(); ++r)
        if (features[r].name == name)
            return static_cast<int>(r);
    return -1;
}

DriftHeatmapModel buildHeatmapModel(const DriftSnapshot& drift, DriftStatistic statistic)
{
    DriftHeatmapModel m;
    m.statistic = statistic;
    m.windows = drift.windows.size();
    for (const WindowDrift& w : drift.windows)
        m.windowStartMs.push_back(w.startMs);
    if (drift.windows.empty())
        return m;
    const std::size_t nFeatures = drift.windows.front().features.size();
    const std::size_t nWindows = m.windows;
    for (std::size_t f = 0; f < nFeatures; ++f) {
        const FeatureDrift& first = drift.windows.front().features[f];
        m.features.push_back({f, first.name, groupOf(first), 0, 0.0});
    }
    // One pass in memory order (window by window): a FeatureDrift is ~200 bytes, and walking
    // a feature across windows instead missed the cache on every cell.
    std::vector<float> byFeature(nFeatures * nWindows, std::numeric_limits<float>::quiet_NaN());
    std::vector<std::uint8_t> driftedByFeature(nFeatures * nWindows, 0);
    std::vector<double> all;
    all.reserve(nFeatures * nWindows);
    for (std::size_t w = 0; w < nWindows; ++w) {
        const auto& feats = drift.windows[w].features;
        for (std::size_t f = 0; f < nFeatures && f < feats.size(); ++f) {
            HeatmapFeature& hf = m.features[f];
            if (feats[f].drifted) {
                ++hf.driftedWindows;
                driftedByFeature[f * nWindows + w] = 1;
            }
            if (const auto v = statisticValue(feats[f], statistic)) {
                byFeature[f * nWindows + w] = static_cast<float>(*v);
                if (std::isfinite(*v)) {
                    hf.maxValue = std::max(hf.maxValue, *v);
                    all.push_back(*v);
                }
            }
        }
    }
    std::stable_sort(m.features.begin(), m.features.end(),
                     [](const HeatmapFeature& a, const HeatmapFeature& b) {
                         if (a.group != b.group)
                             return a.group < b.group;
                         if (a.driftedWindows != b.driftedWindows)
                             return a.driftedWindows > b.driftedWindows;
                         if (a.maxValue != b.maxValue)
                             return a.maxValue > b.maxValue;
                         return a.name < b.name;
                     });
    m.values.resize(m.features.size() * nWindows);
    m.drifted.resize(m.features.size() * nWindows);
    for (std::size_t r = 0; r < m.features.size(); ++r) {
        const std::size_t f = m.features[r].index;
        std::copy_n(byFeature.begin() + static_cast<std::ptrdiff_t>(f * nWindows), nWindows,
                    m.values.begin() + static_cast<std::ptrdiff_t>(r * nWindows));
        std::copy_n(driftedByFeature.begin() + static_cast<std::ptrdiff_t>(f * nWindows), nWindows,
                    m.drifted.begin() + static_cast<std::ptrdiff_t>(r * nWindows));
    }
    const double fixed = infoOf(statistic).fixedUpper;
    if (fixed > 0.0) {
        m.scale.upper = fixed;
    } else {
        m.scale.dataDriven = true;
        if (all.empty()) {
            m.scale.upper = 1.0;
        } else {
            const auto k = static_cast<std::size_t>(0.99 * static_cast<double>(all.size() - 1));
            std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end());
            m.scale.upper = all[k] > 0.0 ? all[k] : 1.0;
        }
    }
    return m;
}

std::optional<std::size_t> mostDriftedWindow(const DriftSnapshot& drift, std::string_view feature,
                                             DriftStatistic statistic)
{
    std::optional<std::size_t> best;
    bool bestDrifted = false;
    double bestValue = -1.0;
    for (std::size_t w = 0; w < drift.windows.size(); ++w) {
        for (const FeatureDrift& f : drift.windows[w].features) {
            if (f.name != feature)
                continue;
            const double v = statisticValue(f, statistic).value_or(-1.0);
            const bool better =
                !best || (f.drifted && !bestDrifted) || (f.drifted == bestDrifted && v > bestValue);
            if (better) {
                best = w;
                bestDrifted = f.drifted;
                bestValue = v;
            }
        }
    }
    if (best && !bestDrifted && bestValue < 0.0)
        best = drift.windows.size() - 1;
    return best;
}

} // namespace vigil
