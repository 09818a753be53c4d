#pragma once
// Business KPIs per window (sum and mean) and the configured KPI ratios.
#include "views/chart_grid_view.h"

namespace vigil {

class KpiView : public ChartGridView
{
    Q_OBJECT
  public:
    explicit KpiView(QWidget* parent = nullptr);

  protected:
    void rebuild(const AnalysisResult& result) override;
};

} // namespace vigil
