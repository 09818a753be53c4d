#include "charts/chart_list.h"

#include "charts/time_series_chart.h"

namespace vigil {

QStringList chartIdsOf(const std::vector<TimeSeriesChart*>& charts)
{
    QStringList ids;
    for (const TimeSeriesChart* chart : charts)
        ids << chart->id();
    return ids;
}

TimeSeriesChart* findChart(const std::vector<TimeSeriesChart*>& charts, const QString& id)
{
    for (TimeSeriesChart* chart : charts) {
        if (chart->id() == id)
            return chart;
    }
    return nullptr;
}

} // namespace vigil
