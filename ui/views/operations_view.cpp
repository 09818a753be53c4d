#include "views/operations_view.h"

#include "charts/palette.h"
#include "views/resource_series.h"
#include "views/series_builder.h"

namespace vigil {

OperationsView::OperationsView(QWidget* parent) : ChartGridView(parent) {}

void OperationsView::rebuild(const AnalysisResult& result)
{
    const AnalysisSnapshot& snap = result.snapshot;
    if (snap.windows.empty()) {
        if (endpointCharts().empty())
            showEmptyState(tr("No rows in this log."));
        addEndpointCharts();
        return;
    }
    const auto windowMs = static_cast<double>(snap.windowMs);

    using Q = LatencyQuantiles;
    struct Quantile
    {
        QString name;
        std::optional<double> Q::*field;
        QColor colour;
    };
    // Colours ordered light-to-alarm so the tail (p99) reads as the hot line.
    const std::vector<Quantile> quantiles = {{QStringLiteral("p50"), &Q::p50, palette::version(2)},
                                             {QStringLiteral("p90"), &Q::p90, palette::version(0)},
                                             {QStringLiteral("p95"), &Q::p95, palette::version(1)},
                                             {QStringLiteral("p99"), &Q::p99, palette::version(4)}};
    const WindowValue p50 = [](const WindowStats& w) { return w.latencyMs.p50; };
    if (anyValue(snap.windows, p50)) {
        const auto notes = nonFiniteNotes(
            snap.windows, [](const WindowStats& w) { return w.nonFinite.latency; },
            QStringLiteral("latencies"));
        std::vector<ChartSeries> series;
        for (const Quantile& q : quantiles) {
            const auto field = q.field;
            series.push_back(buildSeries(q.name, q.colour, snap.windows,
                                         [field](const WindowStats& w) { return w.latencyMs.*field; }));
        }
        TimeSeriesChart* latency =
            chartFor(QStringLiteral("latency"), logTitle(tr("Latency quantiles, all versions (ms)")));
        latency->setUnit(QStringLiteral("ms"));
        latency->setData(std::move(series), notes, windowMs);
        if (snap.byVersion.size() > 1) {
            TimeSeriesChart* p95 = chartFor(QStringLiteral("latency_p95_by_version"),
                                            logTitle(tr("Latency p95 by version (ms)")));
            p95->setUnit(QStringLiteral("ms"));
            p95->setData(seriesPerVersion(snap, [](const WindowStats& w) { return w.latencyMs.p95; }), notes,
                         windowMs);
        }
    }

    TimeSeriesChart* throughput = chartFor(QStringLiteral("throughput"), logTitle(tr("Throughput (rows/s)")));
    throughput->setUnit(QStringLiteral("rows/s"));
    throughput->setData(
        seriesPerVersion(snap,
                         [](const WindowStats& w) -> std::optional<double> { return w.throughputPerS; }),
        {}, windowMs);

    const WindowValue errorRate = [](const WindowStats& w) -> std::optional<double> {
        if (!w.errorRate)
            return std::nullopt;
        return *w.errorRate * 100.0;
    };
    if (anyValue(snap.windows, errorRate)) {
        TimeSeriesChart* errors =
            chartFor(QStringLiteral("error_rate"), logTitle(tr("Error rate (% of requests)")));
        errors->setUnit(QStringLiteral("%"));
        errors->setData(seriesPerVersion(snap, errorRate), {}, windowMs);
    }
    addEndpointCharts();
}

// Serving and GPU charts drawn from an endpoint; "Endpoint ·" against "Log ·" says
// which numbers came from where when both are shown.
std::vector<const ResourceChart*> OperationsView::endpointCharts() const
{
    std::vector<const ResourceChart*> out;
    if (!m_endpoint)
        return out;
    for (const ResourceChart& c : m_endpoint->charts)
        if (c.group == PresetGroup::Serving || c.id == "gpu_memory" || c.id == "gpu_util")
            out.push_back(&c);
    return out;
}

QString OperationsView::logTitle(const QString& title) const
{
    return endpointCharts().empty() ? title : tr("Log · ") + title;
}

void OperationsView::addEndpointCharts()
{
    m_endpointTitles.clear();
    for (const ResourceChart* c : endpointCharts()) {
        const QString title = resourceChartTitle(*c, tr("Endpoint · "));
        m_endpointTitles << title;
        fillChart(chartFor(QStringLiteral("endpoint_") + QString::fromStdString(c->id), title), *c);
    }
}

bool OperationsView::rebuildWithoutResult()
{
    if (endpointCharts().empty())
        return false;
    addEndpointCharts();
    return true;
}

void OperationsView::setEndpointData(std::shared_ptr<const ResourceViewData> data)
{
    const bool hadAny = !endpointCharts().empty();
    m_endpoint = std::move(data);
    QStringList titles;
    for (const ResourceChart* c : endpointCharts())
        titles << resourceChartTitle(*c, tr("Endpoint · "));
    // Live updates with the same charts refill them in place; the log charts stay as they are.
    if (titles == m_endpointTitles && hadAny == !titles.isEmpty()) {
        const auto charts = endpointCharts();
        for (const ResourceChart* c : charts)
            if (TimeSeriesChart* target = chart(QStringLiteral("endpoint_") + QString::fromStdString(c->id)))
                fillChart(target, *c);
        return;
    }
    refresh();
}

QStringList OperationsView::endpointChartIds() const
{
    QStringList ids;
    for (const QString& id : chartIds())
        if (id.startsWith(QLatin1String("endpoint_")))
            ids << id;
    return ids;
}

} // namespace vigil
