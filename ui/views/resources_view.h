#pragma once
// Resources: CPU by mode, memory, disk, network, processes, GPU utilization, memory,
// power and temperature (one line per instance / GPU / device), the model servers'
// request rate, error rate and latency, endpoint health, and a metric browser for
// every other series. Fed only with ResourceViewData computed in core on a worker.
#include "metrics/resource_charts.h"

#include <QPointer>
#include <QWidget>

#include <memory>
#include <vector>

class QGridLayout;
class QLabel;
class QLineEdit;
class QListView;
class QScrollArea;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace vigil {

class EndpointHealthModel;
class MetricCatalogModel;
class TimeRangeSync;
class TimeSeriesChart;

class ResourcesView : public QWidget
{
    Q_OBJECT
  public:
    explicit ResourcesView(QWidget* parent = nullptr);

    void setSync(TimeRangeSync* sync);
    void setData(std::shared_ptr<const ResourceViewData> data);
    const ResourceViewData* data() const { return m_data.get(); }
    // The one-line description above the charts ("local sampler · 2 endpoints ...").
    void setSourceText(const QString& text);

    // Snapshots: every chart fits in the widget (columns chosen to keep them readable)
    // instead of a scrolling grid of fixed-height charts.
    void setFitToView(bool on);

    // The width (px) one chart's plot has; the producer decimates to it.
    int chartWidthPx() const;

    // Inspection, for tests and snapshots.
    QStringList chartIds() const;
    TimeSeriesChart* chart(const QString& id) const;
    int chartCount() const { return static_cast<int>(m_charts.size()); }
    std::uint64_t updates() const { return m_updates; }
    EndpointHealthModel* healthModel() const { return m_health; }
    MetricCatalogModel* catalogModel() const { return m_catalog; }
    QSortFilterProxyModel* catalogFilter() const { return m_filter; }
    void setBrowserFilter(const QString& text);
    void browse(const QString& key); // as if the user picked the series in the browser
    bool isShowingEmptyState() const;
    // Every chart of the last setData() is filled (they are filled a few per event-loop turn).
    bool isSettled() const;

  signals:
    void browseRequested(const QString& key);
    void chartWidthChanged(int px);

  protected:
    void resizeEvent(QResizeEvent* event) override;

  private:
    struct PlannedChart
    {
        std::string id;
        QString title;
        const ResourceChart* chart = nullptr; // owned by m_data
    };
    void fillSome(std::size_t count);
    void revealNext();
    void relayout();

    std::shared_ptr<const ResourceViewData> m_data;
    TimeRangeSync* m_sync = nullptr;
    QLabel* m_header = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_empty = nullptr;
    QScrollArea* m_scroll = nullptr;
    QWidget* m_gridHost = nullptr;
    QGridLayout* m_grid = nullptr;
    std::vector<TimeSeriesChart*> m_charts;
    std::vector<PlannedChart> m_plan;
    QStringList m_planned;
    std::size_t m_next = 0;
    std::vector<QPointer<TimeSeriesChart>> m_toReveal;
    EndpointHealthModel* m_health = nullptr;
    QTableView* m_healthTable = nullptr;
    QLabel* m_healthTitle = nullptr;
    MetricCatalogModel* m_catalog = nullptr;
    QSortFilterProxyModel* m_filter = nullptr;
    QLineEdit* m_filterEdit = nullptr;
    QListView* m_browser = nullptr;
    QString m_sourceText;
    std::uint64_t m_updates = 0;
    int m_lastWidth = 0;
    int m_columns = 2;
    bool m_fit = false;
};

} // namespace vigil
