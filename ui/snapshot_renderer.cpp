#include "snapshot_renderer.h"

#include "charts/chart_export.h"
#include "charts/time_range_sync.h"
#include "drift_snapshot.h"
#include "views/kpi_view.h"
#include "views/operations_view.h"
#include "views/performance_view.h"

#include <QApplication>

#include <memory>

namespace vigil {

std::optional<ViewKind> viewKindFromName(QStringView name)
{
    if (name.compare(QLatin1String("performance"), Qt::CaseInsensitive) == 0)
        return ViewKind::Performance;
    if (name.compare(QLatin1String("operations"), Qt::CaseInsensitive) == 0)
        return ViewKind::Operations;
    if (name.compare(QLatin1String("kpi"), Qt::CaseInsensitive) == 0)
        return ViewKind::Kpi;
    if (name.compare(QLatin1String("drift"), Qt::CaseInsensitive) == 0)
        return ViewKind::Drift;
    return std::nullopt;
}

namespace {

std::unique_ptr<ChartGridView> createView(ViewKind kind)
{
    switch (kind) {
    case ViewKind::Performance:
        return std::make_unique<PerformanceView>();
    case ViewKind::Operations:
        return std::make_unique<OperationsView>();
    case ViewKind::Kpi:
        return std::make_unique<KpiView>();
    case ViewKind::Drift:
        break;
    }
    return nullptr;
}

} // namespace

bool renderViewSnapshot(std::shared_ptr<const AnalysisResult> result, ViewKind kind, const QString& outPath,
                        QSize size, QString* error)
{
    if (!qobject_cast<QApplication*>(QCoreApplication::instance())) {
        if (error)
            *error = QStringLiteral("rendering a view needs a QApplication");
        return false;
    }
    if (!exportFormatForPath(outPath)) {
        if (error)
            *error =
                QStringLiteral("Unknown snapshot format for \"%1\": use .png, .svg or .pdf").arg(outPath);
        return false;
    }
    if (!size.isValid() || size.isEmpty()) {
        if (error)
            *error = QStringLiteral("Invalid snapshot size");
        return false;
    }

    if (kind == ViewKind::Drift)
        return renderDriftSnapshot(std::move(result), {}, outPath, size, error);

    TimeRangeSync sync;
    std::unique_ptr<ChartGridView> view = createView(kind);
    view->setSync(&sync);
    view->setAttribute(Qt::WA_DontShowOnScreen);
    view->resize(size);
    if (result && !result->snapshot.windows.empty())
        sync.setDataRange(static_cast<double>(result->snapshot.windows.front().startMs),
                          static_cast<double>(result->snapshot.windows.back().endMs));
    view->setResult(std::move(result));
    // Shown (but never on screen) so layouts, chart geometry and axis ticks settle
    // exactly as in the GUI before painting.
    view->show();
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCoreApplication::sendPostedEvents();
    const bool ok = exportWidget(view.get(), outPath, 1.0, error, QStringLiteral("Vigil"));
    view->hide();
    return ok;
}

} // namespace vigil
