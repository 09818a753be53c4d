#pragma once
// Per-window metrics over a LogTable: the numbers every view and the report show.
#include "config/config.h"
#include "engine/drift_types.h"
#include "ingest/log_table.h"
#include "ingest/schema.h"
#include "util/progress.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace vigil {

struct AnalysisOptions
{
    std::optional<std::int64_t> windowMs; // empty = chooseWindowMs over the data
    double threshold = 0.5;
    std::vector<KpiRatio> kpiRatios;
    DriftOptions drift; // computed by the pipeline when drift.enabled
};

// Undefined values (AUC with one class, no labelled rows) are nullopt, never 0.
struct PerformanceMetrics
{
    std::optional<double> accuracy, precision, recall, f1, rocAuc, logLoss, brier; // classification
    std::optional<double> mae, rmse, r2;                                           // regression
};

struct LatencyQuantiles
{
    std::optional<double> p50, p90, p95, p99;
};

struct KpiValue
{
    std::string name;
    double sum = 0.0;            // over finite values
    std::optional<double> mean;  // nullopt when no finite value
    std::uint64_t count = 0;     // non-null values
    std::uint64_t nonFinite = 0; // NaN/Inf values (excluded from sum and mean)
};

struct RatioValue
{
    std::string name;
    std::optional<double> value; // nullopt when the denominator is 0 or undefined
};

// NaN/Inf are data: counted per window so a view can show them.
struct NonFiniteCounts
{
    std::uint64_t latency = 0;
    std::uint64_t prediction = 0;
    std::uint64_t label = 0;
};

struct WindowStats
{
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    std::uint64_t rows = 0;
    std::uint64_t labeled = 0; // rows with a non-null label
    std::uint64_t errors = 0;  // rows whose status is not ok
    std::uint64_t statusKnown = 0;
    PerformanceMetrics performance;
    double throughputPerS = 0.0;
    std::optional<double> errorRate; // errors / statusKnown
    LatencyQuantiles latencyMs;
    std::vector<KpiValue> kpis;
    std::vector<RatioValue> ratios;
    NonFiniteCounts nonFinite;
    // False when the window's numbers are estimates (a window larger than the memory
    // budget summarised by sketches, docs/MEMORY.md); every row counted exactly otherwise.
    bool exact = true;
    // The report paths, inside the window object, of the values that are sketch estimates
    // ("operations.latency_ms.p99", "drift.amount.ks_d"; docs/SKETCHES.md); empty when exact.
    std::vector<std::string> estimates;
};

struct VersionSegment
{
    std::string version;
    std::vector<WindowStats> windows;
};

struct AnalysisSnapshot
{
    std::int64_t windowMs = 0;
    PredictionKind predictionKind = PredictionKind::Auto; // the resolved kind
    double threshold = 0.5;
    std::vector<WindowStats> windows;      // non-empty windows, ascending start
    std::vector<VersionSegment> byVersion; // sorted by first appearance
    std::optional<DriftSnapshot> drift;    // set when AnalysisOptions::drift.enabled
    // Labelled rows left out of the performance metrics (non-finite or invalid pair, no
    // prediction); exclusionWarnings() words them.
    std::uint64_t excludedBadPairs = 0;
    std::uint64_t excludedMissingPrediction = 0;
};

// The warnings analyze() gives for the excluded rows of `snapshot`.
std::vector<std::string> exclusionWarnings(const AnalysisSnapshot& snapshot);

Result<AnalysisSnapshot> analyze(const LogTable& table, const InferredSchema& schema,
                                 const AnalysisOptions& options, std::stop_token stop = {},
                                 const ProgressFn& progress = {});

} // namespace vigil
