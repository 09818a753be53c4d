#include "views/resource_series.h"

#include "charts/palette.h"
#include "format.h"

namespace vigil {

std::vector<ChartSeries> toChartSeries(const ResourceChart& chart)
{
    std::vector<ChartSeries> out;
    out.reserve(chart.lines.size());
    int index = 0;
    for (const ChartLine& line : chart.lines) {
        ChartSeries s;
        s.name = QString::fromStdString(line.name);
        s.color = palette::version(index++);
        s.xMs = line.xMs;
        s.y = line.y;
        s.width = 1.0;
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<ChartNote> toChartNotes(const ResourceChart& chart)
{
    std::vector<ChartNote> out;
    out.reserve(chart.nonFinite.size());
    for (const NonFiniteMark& m : chart.nonFinite)
        out.push_back({static_cast<double>(m.timestampMs), m.count,
                       QStringLiteral("%1 NaN/Inf samples").arg(formatCount(m.count))});
    return out;
}

QString resourceChartTitle(const ResourceChart& chart, const QString& prefix)
{
    QString title = prefix + QString::fromStdString(chart.title);
    if (chart.totalLines > chart.lines.size())
        title += QStringLiteral("  · top %1 of %2 lines by peak")
                     .arg(chart.lines.size())
                     .arg(formatCount(chart.totalLines));
    return title;
}

void fillChart(TimeSeriesChart* target, const ResourceChart& chart)
{
    target->setUnit(QString::fromStdString(chart.unit));
    target->setData(toChartSeries(chart), toChartNotes(chart), chart.stepMs);
}

} // namespace vigil
