#pragma once
// The Qt Charts series behind one TimeSeriesChart, kept across updates. A live update
// (following a log, a new result every 250 ms) used to remove and re-create every
// series, which costs tens of ms per chart in Qt Charts (series, legend markers, axis
// attachment); here the existing QLineSeries get their points replaced in place, and
// series are created or removed only when the set of lines changes. Private to ui/charts/.
#include "charts/time_series_chart.h"

#include <QList>
#include <QPen>
#include <QPointF>

#include <functional>
#include <vector>

class QAbstractAxis;
class QChart;
class QLineSeries;
class QScatterSeries;

namespace vigil {

// One named line as drawn: its finite runs (a gap between runs), already decimated.
struct LineRuns
{
    QString name;
    QColor color;
    QPen pen;
    bool shown = true;
    std::vector<QList<QPointF>> runs; // at least one (possibly empty) run, for the legend entry
};

class LineSet
{
  public:
    using LegendClicked = std::function<void(const QString& name)>;
    LineSet(QChart* chart, QAbstractAxis* x, QAbstractAxis* y, LegendClicked onLegendClicked);

    // Shows `lines`, the note markers (empty: none) and the events (vertical lines from
    // yMin to yMax). Returns true when everything was updated in place (no series created
    // or removed); false when the set of lines, notes or events changed and the series
    // were rebuilt.
    bool sync(const std::vector<LineRuns>& lines, const QList<QPointF>& notes,
              const std::vector<ChartEvent>& events, double yMin, double yMax);
    void clear();
    // Whether `series` are the lines shown now (same names, in order): a live update.
    bool sameLines(const std::vector<ChartSeries>& series) const;
    int rebuilds() const { return m_rebuilds; }

  private:
    struct Built
    {
        QString name;
        QColor color;
        bool shown = true;
        std::vector<QLineSeries*> segments;
    };
    bool sameShape(const std::vector<LineRuns>& lines, bool notes,
                   const std::vector<ChartEvent>& events) const;
    QLineSeries* addSegment(const LineRuns& line, const QList<QPointF>& run, bool legendEntry);
    void updateSegment(QLineSeries* segment, const LineRuns& line, const QList<QPointF>& run);
    void styleLegend(QLineSeries* first, const LineRuns& line);
    void rebuild(const std::vector<LineRuns>& lines, const QList<QPointF>& notes,
                 const std::vector<ChartEvent>& events, double yMin, double yMax);
    void placeEvents(double yMin, double yMax);

    QChart* m_chart;
    QAbstractAxis* m_x;
    QAbstractAxis* m_y;
    LegendClicked m_onLegendClicked;
    std::vector<Built> m_built;
    QScatterSeries* m_notes = nullptr;
    std::vector<QLineSeries*> m_eventLines;
    std::vector<ChartEvent> m_events;
    int m_rebuilds = 0;
};

} // namespace vigil
