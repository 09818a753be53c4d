#pragma once
// Base of the three views: a grid of TimeSeriesChart panels fed from one
// AnalysisResult, or a centred message when there is nothing to draw.
#include "charts/time_series_chart.h"
#include "engine/pipeline.h"

#include <QPointer>
#include <QWidget>

#include <memory>
#include <vector>

class QGridLayout;
class QLabel;
class QScrollArea;
class QStackedWidget;

namespace vigil {

class TimeRangeSync;

QString describeResult(const AnalysisResult& result);

class ChartGridView : public QWidget
{
    Q_OBJECT
  public:
    explicit ChartGridView(QWidget* parent = nullptr);

    void setSync(TimeRangeSync* sync);
    // Interactive windows reveal newly created charts one per event-loop turn: a chart's
    // first layout and paint is the most expensive step of drawing, and doing all of
    // them in one turn stalls the UI. Offscreen rendering (snapshots) keeps this off.
    void setStagedReveal(bool on) { m_stagedReveal = on; }
    void setResult(std::shared_ptr<const AnalysisResult> result);
    const AnalysisResult* result() const { return m_result.get(); }

    // Inspection, for tests and snapshots.
    QStringList chartIds() const;
    TimeSeriesChart* chart(const QString& id) const;
    int chartCount() const { return static_cast<int>(m_charts.size()); }
    int seriesCount() const; // over all charts
    bool isShowingEmptyState() const;
    // Wall time of each setResult on the UI thread (ms), for --probe-stalls and benches.
    const std::vector<double>& updateTimesMs() const { return m_updateTimesMs; }
    QString emptyStateText() const;

  protected:
    // Subclasses call chartFor() for each chart they want, in display order, or
    // showEmptyState(); charts not asked for in this pass are removed.
    virtual void rebuild(const AnalysisResult& result) = 0;
    // Without a result: a view that has other data to show (endpoint series) builds its
    // charts here and returns true; false shows the "open a log" message.
    virtual bool rebuildWithoutResult() { return false; }
    // Rebuilds from the current result (after a subclass's other input changed).
    void refresh() { setResult(m_result); }
    TimeSeriesChart* chartFor(const QString& id, const QString& title);
    void showEmptyState(const QString& message);

  private:
    void relayout();
    void revealNext();

    std::shared_ptr<const AnalysisResult> m_result;
    TimeRangeSync* m_sync = nullptr;
    QLabel* m_header = nullptr; // what is shown: source, window, time range (also in exports)
    QStackedWidget* m_stack = nullptr;
    QLabel* m_empty = nullptr;
    QScrollArea* m_scroll = nullptr;
    QWidget* m_gridHost = nullptr;
    QGridLayout* m_grid = nullptr;
    std::vector<TimeSeriesChart*> m_charts;
    std::vector<TimeSeriesChart*> m_wanted;
    bool m_emptyRequested = false;
    bool m_stagedReveal = false;
    std::vector<QPointer<TimeSeriesChart>> m_toReveal;
    std::vector<double> m_updateTimesMs;
};

} // namespace vigil
