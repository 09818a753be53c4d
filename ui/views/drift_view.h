#pragma once
// The Drift tab: which inputs changed, since when, how much. A multivariate strip (PCA
// reconstruction error and its band) over the features x windows heatmap; clicking a cell
// opens the drill-down (reference vs window distributions, ECDFs with KS D, statistics,
// the feature's drift over time), computed on a worker.
#include "engine/drift_drilldown.h"
#include "engine/drift_heatmap.h"
#include "engine/pipeline.h"
#include "jobs/latest_task.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QSplitter;
class QTableWidget;
class QStackedWidget;

namespace vigil {

class DistributionChart;
class DriftHeatmap;
class HeatmapLegend;
class TimeRangeSync;
class TimeSeriesChart;

class DriftView : public QWidget
{
    Q_OBJECT
  public:
    explicit DriftView(QWidget* parent = nullptr);
    ~DriftView() override;

    void setSync(TimeRangeSync* sync);
    // A result without drift shows `pendingText` (e.g. "Computing drift…") instead.
    void setResult(std::shared_ptr<const AnalysisResult> result);
    void setPendingText(const QString& text);
    const AnalysisResult* result() const { return m_result.get(); }
    void setStatistic(DriftStatistic statistic);
    DriftStatistic statistic() const;

    // Computes the drill-down on a worker and shows it when it arrives.
    void openDrilldown(const QString& feature, int window);
    // Shows an already computed drill-down (snapshots compute it synchronously).
    void showDrilldown(std::shared_ptr<const FeatureDrilldown> drilldown);
    std::shared_ptr<const FeatureDrilldown> drilldown() const { return m_drilldown; }

    DriftHeatmap* heatmap() const { return m_heatmap; }
    HeatmapLegend* legend() const { return m_legend; }
    TimeSeriesChart* multivariateChart() const { return m_multivariate; }
    TimeSeriesChart* featureOverTimeChart() const { return m_overTime; }
    QTableWidget* statisticsTable() const { return m_table; }
    bool isShowingMessage() const;
    QString messageText() const;
    bool isDrilldownVisible() const;

  signals:
    void drilldownShown(const QString& feature, int window);
    void drilldownFailed(const QString& message);

  private:
    void rebuild();
    void onModelChanged(); // legend, summary and a pending drill-down follow the heatmap
    void fillStatistics(const FeatureDrilldown& d);
    void refreshOverTime();

    std::shared_ptr<const AnalysisResult> m_result;
    std::shared_ptr<const FeatureDrilldown> m_drilldown;
    LatestTask<std::shared_ptr<const FeatureDrilldown>> m_task{this};
    QLabel* m_header = nullptr;
    QComboBox* m_statistic = nullptr;
    HeatmapLegend* m_legend = nullptr;
    QLabel* m_summary = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_message = nullptr;
    TimeSeriesChart* m_multivariate = nullptr;
    DriftHeatmap* m_heatmap = nullptr;
    QSplitter* m_split = nullptr;
    QWidget* m_panel = nullptr;
    QLabel* m_panelTitle = nullptr;
    DistributionChart* m_histogram = nullptr;
    DistributionChart* m_ecdf = nullptr;
    QTableWidget* m_table = nullptr;
    TimeSeriesChart* m_overTime = nullptr;
    QString m_pendingText;
    QString m_reopenFeature; // the drill-down to reopen once the new heatmap is ready
};

} // namespace vigil
