#pragma once
// Drift results attached to an AnalysisSnapshot (see docs/DRIFT.md, "In the report").
// Kept apart from drift_analysis.h so that analysis.h can hold them without a cycle.
#include "ingest/log_table.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

struct ReferenceProfile;    // engine/reference_profile.h
struct DriftReferenceCache; // engine/drift_reference_cache.h

// Per-feature decision settings (config "drift.features"); unset values use DriftOptions'.
struct FeatureDecisionOptions
{
    std::optional<double> minimumEffect;
    std::optional<double> thresholdSigmas;
    bool ignore = false; // measured and reported, left out of the test family, never drifted
    std::optional<double> featureAlpha;
    std::optional<std::size_t> pairBelowRows;
    std::optional<double> pairOwnAlpha;
    std::optional<double> pairThresholdSigmas;
};

struct DriftOptions
{
    bool enabled = false; // off by default: the GUI and snapshot do not pay for it
    // Reference time range [startMs, endMs) of the analysed log; both empty = default rule.
    std::optional<std::int64_t> referenceStartMs;
    std::optional<std::int64_t> referenceEndMs;
    // A separately loaded reference log (same mapping); takes precedence over the range.
    std::shared_ptr<const LogTable> referenceTable;
    double alpha = 0.05;          // Benjamini-Hochberg FDR across the features of a window
    double minimumEffect = 0.1;   // KS D (numeric) or JS distance (categorical)
    double thresholdSigmas = 3.0; // reference-window band: mean + k * population std
    // Per feature-window cap on the decision p-value: however many other features of the
    // window drift (which loosens Benjamini-Hochberg), a stable feature is flagged in at most
    // about this share of its windows.
    double featureAlpha = 0.005;
    // The two-window test (docs/DRIFT.md, "drifted"): a window with fewer values than
    // pairBelowRows is also tested pooled with the previous window (0 = never), against the
    // reference band at pairThresholdSigmas, and that test flags it only if the window's own
    // decision p-value is below pairOwnAlpha.
    std::size_t pairBelowRows = 1000;
    double pairOwnAlpha = 0.1;
    double pairThresholdSigmas = 2.0;
    std::size_t maxRowsPerWindow = 0;                       // 0 = every row; else a deterministic sample
    unsigned threads = 0;                                   // 0 = hardware concurrency
    std::map<std::string, FeatureDecisionOptions> features; // by report name
    std::size_t rollingWindows = 0; // > 0: reference = the previous N windows (drift_rolling.h)
    bool conceptDrift = true;       // ADWIN/DDM over the error stream
    // A saved reference (reference_profile.h); takes precedence over the table and range.
    std::shared_ptr<const ReferenceProfile> profile;
    // Set by a caller that scores one log in several calls (drift_reference_cache.h): the
    // reference is prepared by the first call and reused by the next.
    std::shared_ptr<DriftReferenceCache> referenceCache;
};

struct FeatureDrift
{
    std::string name;
    bool categorical = false;
    std::optional<double> ksD, ksP, wasserstein, psi, js, hellinger, chi2, chi2P, missingShare;
    bool drifted = false;
    // For the decision (not reported): chi-square p with sparse categories pooled, and the
    // number of non-missing values scored (0 when unknown, e.g. a saved profile's windows).
    std::optional<double> chi2PooledP = std::nullopt;
    std::optional<double> binChi2P =
        std::nullopt; // numeric: pooled chi-square on the reference's quantile bins
    std::size_t count = 0;
    // For the decision (not reported): the decision effect and p-value of this window's values
    // pooled with the previous window's, and how many values that is (0: not computed, e.g.
    // a large window, the first window, or a rolling reference).
    std::optional<double> pairEffect = std::nullopt;
    std::optional<double> pairP = std::nullopt;
    std::size_t pairCount = 0;
};

struct MultivariateDrift
{
    std::optional<double> reconstructionError, lower, upper;
    bool drifted = false;
};

// CBPE (NannyML's confidence-based performance estimation): expected metrics from
// scores calibrated on the labelled reference; available before labels arrive.
struct EstimatedPerformance
{
    std::optional<double> accuracy, f1, rocAuc;
};

struct WindowDrift
{
    std::int64_t startMs = 0;
    std::vector<FeatureDrift> features;
    MultivariateDrift multivariate;
    EstimatedPerformance estimated; // all nullopt until CBPE is computed
    bool sampled = false;
};

struct ConceptDriftEvent
{
    std::string detector; // "ADWIN" or "DDM"
    std::int64_t tsMs = 0;
    std::string stream; // "misclassification" or "absolute_error"
    // Repeated detections of the same detector, each within one window width of the
    // previous, are one event: how many, and the last one's timestamp.
    std::uint64_t count = 1;
    std::int64_t lastTsMs = 0;
};

struct DriftReferenceInfo
{
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    std::uint64_t rows = 0;
    std::string source; // "range", "file" or "rolling"
    std::size_t rollingWindows = 0;
};

struct DriftSnapshot
{
    DriftReferenceInfo reference;
    std::vector<WindowDrift> windows; // parallel to AnalysisSnapshot::windows
    std::vector<ConceptDriftEvent> conceptDrift;
    bool sampled = false;
};

} // namespace vigil
