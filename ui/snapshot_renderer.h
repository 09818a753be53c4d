#pragma once
// Headless rendering of a view (vigil --snapshot): the same widget class the GUI
// shows, laid out at a given size without appearing on screen, written as PNG, SVG or PDF.
#include "engine/pipeline.h"

#include <QSize>
#include <QString>
#include <QStringView>

#include <memory>
#include <optional>

namespace vigil {

enum class ViewKind
{
    Performance,
    Operations,
    Kpi,
    Drift // rendered by renderDriftSnapshot (drift_snapshot.h); needs snapshot.drift
};

std::optional<ViewKind> viewKindFromName(QStringView name); // "performance" | "operations" | "kpi" | "drift"

// Needs a QApplication (the offscreen platform is fine). The PNG is size pixels exactly.
bool renderViewSnapshot(std::shared_ptr<const AnalysisResult> result, ViewKind view, const QString& outPath,
                        QSize size, QString* error);

} // namespace vigil
