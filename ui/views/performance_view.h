#pragma once
// Model quality per window: one line per version plus the dashed "all".
#include "views/chart_grid_view.h"

namespace vigil {

class PerformanceView : public ChartGridView
{
    Q_OBJECT
  public:
    explicit PerformanceView(QWidget* parent = nullptr);

  protected:
    void rebuild(const AnalysisResult& result) override;
};

} // namespace vigil
