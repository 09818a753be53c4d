#pragma once
// Headless rendering of the Resources view (vigil snapshot --view resources): the same
// widget the GUI shows, laid out offscreen and written as PNG, SVG or PDF.
#include "metrics/resource_charts.h"

#include <QSize>
#include <QString>

#include <memory>

namespace vigil {

// The chart width (px) to decimate to for a snapshot of this size.
int resourcesSnapshotChartWidth(QSize size);

bool renderResourcesSnapshot(std::shared_ptr<const ResourceViewData> data, const QString& sourceText,
                             const QString& outPath, QSize size, QString* error);

} // namespace vigil
