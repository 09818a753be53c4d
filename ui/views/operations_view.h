#pragma once
// Serving health per window: latency quantiles, throughput, error rate from the log;
// and, when metrics endpoints are scraped, the model server's request rate, error rate
// and latency (and GPU memory/utilization) from the endpoint, on the same time axis.
#include "metrics/resource_charts.h"
#include "views/chart_grid_view.h"

namespace vigil {

class OperationsView : public ChartGridView
{
    Q_OBJECT
  public:
    explicit OperationsView(QWidget* parent = nullptr);

    // Endpoint-derived charts (core-computed); nullptr removes them.
    void setEndpointData(std::shared_ptr<const ResourceViewData> data);
    QStringList endpointChartIds() const;

  protected:
    void rebuild(const AnalysisResult& result) override;
    bool rebuildWithoutResult() override;

  private:
    std::vector<const ResourceChart*> endpointCharts() const;
    QString logTitle(const QString& title) const;
    void addEndpointCharts();

    std::shared_ptr<const ResourceViewData> m_endpoint;
    QStringList m_endpointTitles; // what the charts were built with, to update in place
};

} // namespace vigil
