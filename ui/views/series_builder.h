#pragma once
// Turns a snapshot's windows into chart series: one value per window, NaN where the
// metric is undefined, and a break wherever windows are missing (no rows), so a
// chart never draws a line across time it has no data for.
#include "charts/time_series_chart.h"
#include "engine/analysis.h"

#include <functional>
#include <optional>

namespace vigil {

using WindowValue = std::function<std::optional<double>(const WindowStats&)>;
using WindowCount = std::function<std::uint64_t(const WindowStats&)>;

ChartSeries buildSeries(const QString& name, const QColor& colour, const std::vector<WindowStats>& windows,
                        const WindowValue& value);

// "all" (near-black, thicker) plus one series per version when there is more than one.
std::vector<ChartSeries> seriesPerVersion(const AnalysisSnapshot& snapshot, const WindowValue& value);

bool anyValue(const std::vector<WindowStats>& windows, const WindowValue& value);

// One note per window where count() > 0, e.g. "3 NaN/Inf latencies in this window".
std::vector<ChartNote> nonFiniteNotes(const std::vector<WindowStats>& windows, const WindowCount& count,
                                      const QString& what);

// Concatenates note lists that refer to the same windows (e.g. predictions and labels).
std::vector<ChartNote> mergeNotes(std::vector<ChartNote> a, const std::vector<ChartNote>& b);

} // namespace vigil
