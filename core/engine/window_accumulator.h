#pragma once
// The statistics of one window (or one version inside it) kept up to date as rows are
// appended, for live following: WindowStatsBuilder recomputes a window from all its
// rows (the quantiles partition every latency, ROC AUC sorts every score), so each
// update of a window holding 1M rows cost that much again. Here adding rows costs
// O(new rows · log) and reading the statistics O(distinct scores) (O(labelled rows)
// for regression's R²), with the same numbers, bit for bit: sums are accumulated in
// row order as the builder does, latencies are kept sorted, and ROC AUC is counted
// per distinct score exactly as stats::rocAuc walks its groups.
// Private to the engine.
#include "engine/window_stats.h"
#include "stats/classification.h"
#include "stats/moments.h"

#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace vigil::detail {

class WindowAccumulator
{
  public:
    WindowAccumulator(PredictionKind kind, double threshold, std::size_t kpis);

    // `rows` ascending, each after every row added before (the builder's row order).
    void add(const LogTable& table, const ColumnPresence& columns, std::span<const std::uint32_t> rows);

    // What WindowStatsBuilder::build gives for all rows added so far; `exclusions`
    // (optional) gets this window's counts added.
    WindowStats stats(const LogTable& table, const ColumnPresence& columns, std::int64_t startMs,
                      std::int64_t windowMs, const std::vector<ParsedRatio>& ratios,
                      Exclusions* exclusions) const;

  private:
    void addPair(double prediction, double label);

    PredictionKind m_kind;
    double m_threshold;
    std::uint64_t m_rows = 0;
    std::uint64_t m_statusKnown = 0, m_errors = 0;
    // Latencies (NaN left out, as the quantiles drop it) in two sorted runs: new ones merge
    // into the small run, which merges into the large one once it holds an eighth of it,
    // so an update moves O(new rows) values amortised, not the whole window's.
    std::vector<double> m_latencySorted;
    std::vector<double> m_latencyRecent;
    std::vector<double> m_scratch;
    NonFiniteCounts m_nonFinite;
    std::uint64_t m_labeled = 0;
    Exclusions m_exclusions;
    // Classification (stats::scoreMetrics / classLabelMetrics).
    stats::ConfusionCounts m_counts;
    std::uint64_t m_used = 0;
    double m_logLossSum = 0.0, m_brierSum = 0.0;
    std::map<double, std::pair<std::uint64_t, std::uint64_t>> m_byScore; // score -> (positives, negatives)
    // Regression (stats::regressionMetrics): R² needs a second pass over the labels.
    double m_absSum = 0.0, m_sqSum = 0.0, m_labelSum = 0.0;
    std::vector<double> m_labels;
    std::vector<stats::FiniteAccumulator> m_kpis;
};

} // namespace vigil::detail
