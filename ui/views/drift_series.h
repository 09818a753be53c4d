#pragma once
// Chart series for the drift results: the multivariate reconstruction error with its band,
// a feature's statistic over time, CBPE estimates, and concept-drift events grouped so
// that a detector firing window after window shows as one marker, not a wall of lines.
#include "charts/time_series_chart.h"
#include "engine/drift_drilldown.h"
#include "engine/drift_heatmap.h"

#include <optional>

namespace vigil {

// Error (solid), the band's upper and lower limits (dashed), and the drifted windows drawn
// over the error in red. Empty when no window has an error.
std::vector<ChartSeries> multivariateSeries(const AnalysisSnapshot& snapshot);

// The feature's statistic per window with its drifted windows in red (series parallel to
// snapshot.windows, as FeatureDrilldown::series is).
std::vector<ChartSeries> featureStatisticSeries(const AnalysisSnapshot& snapshot,
                                                const FeatureDrilldown& drilldown, DriftStatistic statistic);

// CBPE's estimate of a metric, dashed, named so it cannot be mistaken for the realized one.
std::optional<ChartSeries> estimatedSeries(const AnalysisSnapshot& snapshot,
                                           std::optional<double> EstimatedPerformance::*field);

// One event per run of detections of a detector in consecutive windows (at the run's first
// detection); the detail says how many and over which span.
std::vector<ChartEvent> conceptDriftEvents(const DriftSnapshot& drift, std::int64_t windowMs);

} // namespace vigil
