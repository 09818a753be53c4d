#pragma once
// The statistics of one window (or one version inside a window) from the row
// indices that fall into it. Private to the engine; one instance per worker
// thread because it keeps scratch buffers.
#include "engine/analysis.h"
#include "engine/kpi_ratio.h"
#include "ingest/log_table.h"
#include "ingest/schema.h"

#include <cstdint>
#include <span>
#include <vector>

namespace vigil::detail {

// Rows dropped from the performance metrics, summed for the analysis warnings.
struct Exclusions
{
    std::uint64_t badPair = 0;           // non-finite value, or label/class outside {0,1}
    std::uint64_t missingPrediction = 0; // labelled rows with a null prediction
};

// Which optional columns the table actually has (an unmapped column is empty).
struct ColumnPresence
{
    bool latency = false, status = false, prediction = false, label = false;
    std::vector<bool> kpis;
};

// Score when every finite prediction is in [0,1] and every finite label is 0
// or 1, Regression otherwise; an explicit kind is returned unchanged.
PredictionKind resolvePredictionKind(const LogTable& table, PredictionKind requested);

class WindowStatsBuilder
{
  public:
    WindowStatsBuilder(const LogTable& table, const ColumnPresence& columns, PredictionKind kind,
                       double threshold, const std::vector<ParsedRatio>& ratios);

    WindowStats build(std::span<const std::uint32_t> rows, std::int64_t startMs, std::int64_t windowMs,
                      Exclusions* exclusions);

  private:
    void fillPerformance(WindowStats& w, Exclusions* exclusions);

    const LogTable& m_table;
    const ColumnPresence& m_columns;
    PredictionKind m_kind;
    double m_threshold;
    const std::vector<ParsedRatio>& m_ratios;
    std::vector<double> m_latency, m_prediction, m_label;
};

} // namespace vigil::detail
