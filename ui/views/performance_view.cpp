#include "views/performance_view.h"

#include "views/drift_series.h"
#include "views/series_builder.h"

#include <algorithm>

namespace vigil {

namespace {

struct Metric
{
    const char* id;
    QString title;
    std::optional<double> PerformanceMetrics::*field;
};

std::vector<Metric> metricsFor(PredictionKind kind)
{
    using P = PerformanceMetrics;
    const std::vector<Metric> classification = {
        {"accuracy", QStringLiteral("Accuracy (0–1, higher is better)"), &P::accuracy},
        {"precision", QStringLiteral("Precision (0–1)"), &P::precision},
        {"recall", QStringLiteral("Recall (0–1)"), &P::recall},
        {"f1", QStringLiteral("F1 score (0–1)"), &P::f1},
    };
    const std::vector<Metric> score = {
        {"roc_auc", QStringLiteral("ROC AUC (0.5 = chance, 1 = perfect)"), &P::rocAuc},
        {"log_loss", QStringLiteral("Log loss (nats, lower is better)"), &P::logLoss},
        {"brier", QStringLiteral("Brier score (lower is better)"), &P::brier},
    };
    const std::vector<Metric> regression = {
        {"mae", QStringLiteral("MAE (prediction units, lower is better)"), &P::mae},
        {"rmse", QStringLiteral("RMSE (prediction units, lower is better)"), &P::rmse},
        {"r2", QStringLiteral("R² (1 = perfect, 0 = predicts the mean)"), &P::r2},
    };
    std::vector<Metric> out;
    if (kind != PredictionKind::Regression)
        out = classification;
    if (kind == PredictionKind::Score || kind == PredictionKind::Auto)
        out.insert(out.end(), score.begin(), score.end());
    if (kind == PredictionKind::Regression || kind == PredictionKind::Auto)
        out.insert(out.end(), regression.begin(), regression.end());
    return out;
}

} // namespace

PerformanceView::PerformanceView(QWidget* parent) : ChartGridView(parent) {}

void PerformanceView::rebuild(const AnalysisResult& result)
{
    const AnalysisSnapshot& snap = result.snapshot;
    const WindowValue labelled = [](const WindowStats& w) -> std::optional<double> {
        return static_cast<double>(w.labeled);
    };
    const bool anyLabels = std::any_of(snap.windows.begin(), snap.windows.end(),
                                       [](const WindowStats& w) { return w.labeled > 0; });
    if (!anyLabels) {
        showEmptyState(tr("No labelled rows yet — performance metrics appear once labels arrive.\n\n"
                          "Operations and business KPIs are available in their tabs."));
        return;
    }

    // A NaN prediction or label spoils every quality metric of its window, so each
    // chart carries the markers.
    const std::vector<ChartNote> notes = mergeNotes(
        nonFiniteNotes(
            snap.windows, [](const WindowStats& w) { return w.nonFinite.prediction; },
            QStringLiteral("predictions")),
        nonFiniteNotes(
            snap.windows, [](const WindowStats& w) { return w.nonFinite.label; }, QStringLiteral("labels")));
    const auto windowMs = static_cast<double>(snap.windowMs);

    // With drift computed: concept-drift detections on every quality chart, CBPE's estimate
    // beside the realized accuracy, F1 and ROC AUC.
    const std::vector<ChartEvent> events =
        snap.drift ? conceptDriftEvents(*snap.drift, snap.windowMs) : std::vector<ChartEvent>{};
    for (const Metric& metric : metricsFor(snap.predictionKind)) {
        const auto field = metric.field;
        const WindowValue value = [field](const WindowStats& w) { return w.performance.*field; };
        if (!anyValue(snap.windows, value))
            continue;
        QString title = metric.title;
        if (snap.predictionKind == PredictionKind::Score && field != &PerformanceMetrics::rocAuc &&
            field != &PerformanceMetrics::logLoss && field != &PerformanceMetrics::brier)
            title += QStringLiteral(" @ %1").arg(snap.threshold);
        std::vector<ChartSeries> series = seriesPerVersion(snap, value);
        std::optional<ChartSeries> estimated;
        if (field == &PerformanceMetrics::accuracy)
            estimated = estimatedSeries(snap, &EstimatedPerformance::accuracy);
        else if (field == &PerformanceMetrics::f1)
            estimated = estimatedSeries(snap, &EstimatedPerformance::f1);
        else if (field == &PerformanceMetrics::rocAuc)
            estimated = estimatedSeries(snap, &EstimatedPerformance::rocAuc);
        if (estimated) {
            series.front().name = QStringLiteral("all (realized, from labels)");
            series.push_back(std::move(*estimated));
            title += tr(" — realized vs estimated");
        }
        TimeSeriesChart* chart = chartFor(QString::fromLatin1(metric.id), title);
        chart->setData(std::move(series), notes, windowMs);
        if (!events.empty() || chart->eventCount() > 0)
            chart->setEvents(events);
    }
    if (snap.drift) {
        const auto multivariate = multivariateSeries(snap);
        if (!multivariate.empty()) {
            TimeSeriesChart* chart = chartFor(QStringLiteral("multivariate_drift"),
                                              tr("Multivariate input drift: PCA reconstruction error "
                                                 "(dashed: reference band, red: drifted)"));
            chart->setData(multivariate, {}, windowMs);
            chart->setEvents(events);
        }
    }
    chartFor(QStringLiteral("labeled"), tr("Labelled rows per window (count)"))
        ->setData(seriesPerVersion(snap, labelled), notes, windowMs);
}

} // namespace vigil
