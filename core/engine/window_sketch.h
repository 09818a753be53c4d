#pragma once
// One window too large to hold in memory (docs/SKETCHES.md): its rows arrive chunk by chunk
// (tables of the same schema whose categorical codes are global), and the window's
// statistics are accumulated without keeping the rows. Counts, sums and bin counts are
// exact; order statistics (latency quantiles, KS D and its p, Wasserstein-1, ROC AUC) come
// from KLL sketches and are listed in WindowStats::estimates by their report path
// ("operations.latency_ms.p99", "drift.amount.ks_d", ...). A sketch that never compacted
// held every value, so its numbers are exact and not listed.
#include "engine/analysis.h"
#include "engine/reference_profile.h"
#include "engine/window_stats.h"
#include "stats/classification.h"
#include "stats/kll_sketch.h"
#include "stats/moments.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vigil {

struct WindowSketchOptions
{
    std::uint32_t k = stats::kKllDefaultK;
    std::uint64_t seed = 0x5DEECE66DULL;
    // Score the label as a drift feature (computeDriftFromProfile does when the log has any
    // label); nullopt = when this window has one.
    std::optional<bool> labelFeature;
};

struct SketchedWindow
{
    WindowStats stats;                // stats.estimates names the estimated fields
    std::optional<WindowDrift> drift; // with a profile: univariate, PCA error, CBPE
    detail::Exclusions exclusions;    // rows left out of the performance metrics
};

class WindowSketchBuilder
{
  public:
    // `schema`: any chunk (column names, KPI names, features). `kind`: the analysis' resolved
    // prediction kind; `options`: threshold and KPI ratios as for analyze(); `profile` and
    // `drift`: the drift of the window against the profile, as computeDriftFromProfile.
    static Result<WindowSketchBuilder> create(const LogTable& schema, std::int64_t startMs,
                                              std::int64_t windowMs, PredictionKind kind,
                                              const AnalysisOptions& options,
                                              std::shared_ptr<const ReferenceProfile> profile = nullptr,
                                              WindowSketchOptions sketch = {});

    // Rows of `table` inside this window, in the window's order (the order analyze() sees
    // them: ascending row index of the whole log); every chunk of the window in turn.
    Result<bool> add(const LogTable& table, std::span<const std::uint32_t> rows);

    Result<SketchedWindow> finish();

    // Heap bytes held now (sketches, counts), for the memory budget.
    std::size_t memoryBytes() const;

  private:
    struct NumericFeature
    {
        std::string name;
        stats::KllSketch finite;
        std::uint64_t negInf = 0, posInf = 0, missing = 0, rows = 0;
        std::vector<double> binCounts; // in the profile's reference bins
        const ProfileFeature* profile = nullptr;
    };
    struct CategoricalFeature
    {
        std::string name;
        std::vector<std::uint64_t> counts; // by global code
        std::uint64_t missing = 0, rows = 0;
        std::vector<std::string> dictionary; // the latest chunk's
        const ProfileFeature* profile = nullptr;
    };
    struct Pca;

    WindowSketchBuilder() = default;
    void addStats(const LogTable& table, std::span<const std::uint32_t> rows);
    void addDrift(const LogTable& table, std::span<const std::uint32_t> rows);
    Result<bool> addPca(const LogTable& table, std::span<const std::uint32_t> rows);
    void fillPerformance(WindowStats& w);
    WindowDrift finishDrift(std::vector<std::string>& estimates);
    FeatureDrift finishNumeric(const NumericFeature& f, std::vector<std::string>& estimates) const;
    FeatureDrift finishCategorical(const CategoricalFeature& f) const;

    std::int64_t m_startMs = 0;
    std::int64_t m_windowMs = 1;
    PredictionKind m_kind = PredictionKind::Score;
    double m_threshold = 0.5;
    std::vector<detail::ParsedRatio> m_ratios;
    std::shared_ptr<const ReferenceProfile> m_profile;
    DriftOptions m_driftOptions;
    WindowSketchOptions m_options;

    WindowStats m_stats;
    detail::Exclusions m_exclusions;
    stats::KllSketch m_latency;
    std::vector<stats::FiniteAccumulator> m_kpis;
    std::vector<std::string> m_kpiNames;
    // Performance: confusion counts and sums in row order (as analyze() adds them), the
    // scores of each class sketched for ROC AUC, Welford's running label variance for R².
    stats::ConfusionCounts m_confusion;
    std::uint64_t m_used = 0;
    double m_logLossSum = 0.0, m_brierSum = 0.0, m_absSum = 0.0, m_sqSum = 0.0;
    long double m_labelMean = 0.0L, m_labelM2 = 0.0L;
    stats::KllSketch m_positives, m_negatives;

    std::vector<NumericFeature> m_numeric; // numeric features, prediction, label
    std::vector<CategoricalFeature> m_categorical;
    bool m_sawLabel = false;
    std::shared_ptr<Pca> m_pca;
    double m_pcaSum = 0.0;
    std::uint64_t m_pcaRows = 0;
    double m_cbpeTp = 0.0, m_cbpeFp = 0.0, m_cbpeFn = 0.0, m_cbpeTn = 0.0;
    std::uint64_t m_cbpeRows = 0;
    stats::KllSketch m_cbpeScores; // every finite score, for CBPE's ROC AUC
    bool m_finished = false;
};

} // namespace vigil
