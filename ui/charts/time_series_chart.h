#pragma once
// The one chart widget the views use: lines over UTC time, gaps where values are
// null, NaN/Inf markers, linked zoom/pan, hover values, export. Qt Charts stays
// behind this header (it is deprecated upstream; only the .cpp includes it).
#include "charts/time_range_sync.h"

#include <QColor>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QToolButton;
class QMenu;

namespace vigil {

class ChartCanvas;
class LineSet;

struct ChartSeries
{
    QString name;
    QColor color;
    std::vector<double> xMs; // window start, ascending
    std::vector<double> y;   // NaN where the value is undefined: drawn as a gap
    // Rows behind each point (for the tooltip); may be empty. rows 0 with y NaN marks a
    // break inserted where windows are missing, not a window.
    std::vector<std::uint64_t> rows;
    Qt::PenStyle style = Qt::SolidLine;
    double width = 2.0;
};

// Non-finite inputs inside one window ("3 NaN latencies"): a red marker on the time axis
// and a line in the tooltip.
struct ChartNote
{
    double xMs = 0.0;
    std::uint64_t count = 0;
    QString text;
};

// A point event on the timeline (e.g. a concept-drift detection): a vertical dashed line
// over the whole plot, one legend entry per label, and a line in the tooltip.
struct ChartEvent
{
    double xMs = 0.0;
    QString label;  // legend and tooltip ("ADWIN"); events with one label share a colour
    QString detail; // tooltip text ("ADWIN: 3 detections 2026-01-05 14:00 → 16:00")
    QColor color;
};

class TimeSeriesChart : public QWidget
{
    Q_OBJECT
  public:
    TimeSeriesChart(const QString& id, const QString& title, QWidget* parent = nullptr);
    ~TimeSeriesChart() override;

    // Draws one throwaway chart offscreen. The first chart painted in a process pays
    // for font, glyph and style caches (tens of ms); paying it at startup keeps it out
    // of the moment the first result is drawn, when the user is waiting on the UI.
    static void warmUpCaches();

    QString id() const { return m_id; }
    QString title() const; // as drawn, including the NaN/Inf counter
    void setSync(TimeRangeSync* sync);
    // Appended to values in the tooltip ("ms", "%"); the title carries it too.
    void setUnit(const QString& unit) { m_unit = unit; }
    TimeRangeSync* sync() const { return m_sync; }

    // windowMs: the width of one window, for the tooltip and for hit-testing.
    void setData(std::vector<ChartSeries> series, std::vector<ChartNote> notes, double windowMs);
    // Kept until the next setEvents (setData leaves them alone).
    void setEvents(std::vector<ChartEvent> events);
    int eventCount() const { return static_cast<int>(m_events.size()); }

    // Inspection, for tests and the snapshot renderer.
    int seriesCount() const { return static_cast<int>(m_series.size()); }
    QStringList seriesNames() const;
    int pointCount(const QString& seriesName) const;   // points handed to the chart (after decimation)
    int segmentCount(const QString& seriesName) const; // drawn lines: a gap starts a new one
    // The Qt Charts series objects drawn now, in the chart's order: a live update keeps
    // them (points replaced in place) unless the set of lines changes.
    QList<const QObject*> seriesObjects() const;
    int structuralRebuilds() const;    // times the series were re-created rather than updated
    QStringList legendEntries() const; // labels of the legend entries shown

    // Also toggled by clicking the series' legend entry; kept across new data.
    void setSeriesVisible(const QString& seriesName, bool visible);
    bool isSeriesVisible(const QString& seriesName) const;
    std::uint64_t nonFiniteCount() const { return m_nonFinite; }
    std::pair<double, double> visibleRange() const;
    QString tooltipAt(double xMs) const;
    QWidget* canvas() const;

    // Interactions (also bound to mouse and keys on the canvas).
    void zoomBy(double factor, double centreMs);
    void panBy(double fraction);
    void resetZoom();

    bool exportTo(const QString& path, QString* error) const;
    void copyToClipboard() const;
    QMenu* createExportMenu(QWidget* parent);

  protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

  private:
    friend class ChartCanvas;
    void settleLayout() const;
    static bool isBreakPoint(const ChartSeries& s, std::size_t i);
    void applyRange(double minMs, double maxMs);
    void rebuildSeries();
    void rebuildTimeTicks();
    void updateTitle();
    void exportWithDialog(const QString& suffix);
    void onAxisRangeChanged(double minMs, double maxMs);
    void onPlotAreaChanged();
    int plotWidthPx() const;
    int yTicksForPlot() const;

    QString m_id;
    QString m_title;
    QString m_unit;
    QSet<QString> m_hiddenSeries;
    ChartCanvas* m_canvas = nullptr;
    std::unique_ptr<LineSet> m_lines;
    QToolButton* m_menuButton = nullptr;
    QPointer<TimeRangeSync> m_sync;
    TimeRangeSync* m_ownSync = nullptr;
    std::vector<ChartSeries> m_series;
    std::vector<ChartNote> m_notes;
    std::vector<ChartEvent> m_events;
    struct Drawn
    {
        QString name;
        int points = 0;
        int segments = 0;
    };
    std::vector<Drawn> m_drawn;
    double m_windowMs = 0.0;
    std::uint64_t m_nonFinite = 0;
    bool m_applyingRange = false;
    bool m_shownOnce = false;
    std::optional<std::pair<double, double>> m_pendingRange; // applied when shown
    bool m_rebuilding = false;
    bool m_rangeDependent = false; // drawn points depend on the visible range (long series)
    int m_builtForWidth = 0;
    int m_ticksForWidth = 0;
    int m_yTicks = 0; // the value-axis tick count of the current range
};

} // namespace vigil
