#pragma once
// Small painted charts of the drift drill-down (reference vs current window) and the
// heatmap's colour legend. Painted with QPainter so they export to PNG, SVG and PDF as is.
#include "engine/drift_drilldown.h"
#include "engine/drift_heatmap.h"

#include <QWidget>

#include <memory>

namespace vigil {

class DistributionChart : public QWidget
{
    Q_OBJECT
  public:
    enum class Kind
    {
        Histogram, // numeric: shares per common bin, or category shares for a categorical
        Ecdf       // numeric only: both ECDFs with the KS D location
    };
    explicit DistributionChart(Kind kind, QWidget* parent = nullptr);
    void setDrilldown(std::shared_ptr<const FeatureDrilldown> drilldown);
    QSize sizeHint() const override { return {460, 260}; }

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    void paintHistogram(QPainter& p, const QRect& area);
    void paintCategories(QPainter& p, const QRect& area);
    void paintEcdf(QPainter& p, const QRect& area);
    void paintLegend(QPainter& p, const QRect& area, const QString& ref, const QString& cur);

    Kind m_kind;
    std::shared_ptr<const FeatureDrilldown> m_drilldown;
};

class HeatmapLegend : public QWidget
{
    Q_OBJECT
  public:
    explicit HeatmapLegend(QWidget* parent = nullptr);
    void setScale(DriftStatistic statistic, HeatmapScale scale);
    QString text() const; // what the legend says, for tests
    QSize sizeHint() const override { return {560, 34}; }

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    DriftStatistic m_statistic = DriftStatistic::KsD;
    HeatmapScale m_scale;
};

} // namespace vigil
