#include "drift_snapshot.h"

#include "charts/chart_export.h"
#include "charts/time_range_sync.h"
#include "views/drift_heatmap.h"
#include "views/drift_view.h"

#include <QApplication>
#include <QEventLoop>

namespace vigil {

bool renderDriftSnapshot(std::shared_ptr<const AnalysisResult> result, const DriftRenderOptions& options,
                         const QString& outPath, QSize size, QString* error)
{
    const auto failWith = [error](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (!qobject_cast<QApplication*>(QCoreApplication::instance()))
        return failWith(QStringLiteral("rendering a view needs a QApplication"));
    if (!exportFormatForPath(outPath))
        return failWith(
            QStringLiteral("Unknown snapshot format for \"%1\": use .png, .svg or .pdf").arg(outPath));
    if (!size.isValid() || size.isEmpty())
        return failWith(QStringLiteral("Invalid snapshot size"));
    if (!result || !result->snapshot.drift)
        return failWith(QStringLiteral("the analysis has no drift statistics"));

    TimeRangeSync sync;
    DriftView view;
    view.setSync(&sync);
    view.setAttribute(Qt::WA_DontShowOnScreen);
    view.resize(size);
    if (!result->snapshot.windows.empty())
        sync.setDataRange(static_cast<double>(result->snapshot.windows.front().startMs),
                          static_cast<double>(result->snapshot.windows.back().endMs));
    view.setStatistic(options.statistic);
    view.setResult(result);
    // A large heatmap's model is built on a worker; the snapshot waits for it.
    while (view.heatmap()->isBuilding())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    if (options.drilldown)
        view.showDrilldown(options.drilldown);
    // Shown (never on screen) so layouts settle exactly as in the GUI before painting.
    view.show();
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCoreApplication::sendPostedEvents();
    // The PNG is `size` exactly, or it is an error: a view squeezed below its minimum
    // comes out larger than asked.
    if (view.size() != size) {
        const QSize needed = view.size().expandedTo(size);
        view.hide();
        return failWith(QStringLiteral("--size %1x%2 is too small for the drift view%3: at least %4x%5")
                            .arg(size.width())
                            .arg(size.height())
                            .arg(options.drilldown ? QStringLiteral(" with a drill-down") : QString())
                            .arg(needed.width())
                            .arg(needed.height()));
    }
    const bool ok = exportWidget(&view, outPath, 1.0, error, QStringLiteral("Vigil drift"));
    view.hide();
    return ok;
}

} // namespace vigil
