#pragma once
// The Qt Charts view inside a TimeSeriesChart: turns mouse, wheel and keys into zoom,
// pan, reset, hover tooltips and the export menu. Private to ui/charts/.
#include "charts/time_series_chart.h"

#include <QtCharts/QCategoryAxis>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>

#include <utility>

namespace vigil {

class ChartCanvas : public QChartView
{
  public:
    explicit ChartCanvas(TimeSeriesChart* owner);

    QCategoryAxis* xAxis = nullptr;
    QValueAxis* yAxis = nullptr;

    double xAt(double px) const;

  protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

  private:
    TimeSeriesChart* m_owner;
    bool m_panning = false;
    double m_panStartPx = 0.0;
    std::pair<double, double> m_panStartRange;
};

} // namespace vigil
