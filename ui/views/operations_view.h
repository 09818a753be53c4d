#pragma once
// Serving health per window: latency quantiles, throughput, error rate.
#include "views/chart_grid_view.h"

namespace vigil {

class OperationsView : public ChartGridView
{
    Q_OBJECT
  public:
    explicit OperationsView(QWidget* parent = nullptr);

  protected:
    void rebuild(const AnalysisResult& result) override;
};

} // namespace vigil
