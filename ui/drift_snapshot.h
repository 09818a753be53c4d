#pragma once
// Headless rendering of the Drift view (vigil snapshot --view drift [--feature NAME]):
// the same DriftView the GUI shows, with the drill-down open when one is given.
#include "engine/drift_drilldown.h"
#include "engine/drift_heatmap.h"
#include "engine/pipeline.h"

#include <QSize>
#include <QString>

#include <memory>

namespace vigil {

struct DriftRenderOptions
{
    DriftStatistic statistic = DriftStatistic::JensenShannon;
    std::shared_ptr<const FeatureDrilldown> drilldown; // null: the heatmap alone
};

// Needs a QApplication and result->snapshot.drift.
bool renderDriftSnapshot(std::shared_ptr<const AnalysisResult> result, const DriftRenderOptions& options,
                         const QString& outPath, QSize size, QString* error);

} // namespace vigil
