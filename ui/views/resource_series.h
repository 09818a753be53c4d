#pragma once
// ResourceChart (core, already derived and decimated) -> the chart adapter's series and
// NaN/Inf notes. Shared by the Resources view and the Operations view's endpoint charts.
#include "charts/time_series_chart.h"
#include "metrics/resource_charts.h"

#include <vector>

namespace vigil {

std::vector<ChartSeries> toChartSeries(const ResourceChart& chart);
std::vector<ChartNote> toChartNotes(const ResourceChart& chart);
// "GPU utilization (%)", plus "· top 10 of 1,000 lines" when lines were cut.
QString resourceChartTitle(const ResourceChart& chart, const QString& prefix = {});
// Hands the chart its data: series, notes, unit, step.
void fillChart(TimeSeriesChart* target, const ResourceChart& chart);

} // namespace vigil
