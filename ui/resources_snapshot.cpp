#include "resources_snapshot.h"

#include "charts/chart_export.h"
#include "charts/time_range_sync.h"
#include "views/resources_view.h"

#include <QApplication>

namespace vigil {

int resourcesSnapshotChartWidth(QSize size)
{
    return std::max(200, size.width() * 3 / 4 / 3 - 60); // up to three columns beside the side panel
}

bool renderResourcesSnapshot(std::shared_ptr<const ResourceViewData> data, const QString& sourceText,
                             const QString& outPath, QSize size, QString* error)
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
    TimeRangeSync sync;
    ResourcesView view;
    view.setSync(&sync);
    view.setFitToView(true);
    view.setAttribute(Qt::WA_DontShowOnScreen);
    view.resize(size);
    if (data && data->maxMs > data->minMs)
        sync.setDataRange(data->minMs, data->maxMs);
    view.setSourceText(sourceText);
    view.setData(std::move(data));
    view.show();
    view.setFitToView(true); // columns from the final size
    // Two more passes: the charts' plot areas (and with them the time ticks) settle only
    // after the grid has given them their final size.
    for (int i = 0; i < 2; ++i) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCoreApplication::sendPostedEvents();
    const bool ok = exportWidget(&view, outPath, 1.0, error, QStringLiteral("Vigil"));
    view.hide();
    return ok;
}

} // namespace vigil
