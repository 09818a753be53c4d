#include "charts/line_set.h"

#include "charts/palette.h"

#include <QtCharts/QChart>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>

#include <QSet>

namespace vigil {

namespace {

bool sameEvents(const std::vector<ChartEvent>& a, const std::vector<ChartEvent>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].xMs != b[i].xMs || a[i].label != b[i].label || a[i].detail != b[i].detail ||
            a[i].color != b[i].color)
            return false;
    return true;
}

} // namespace

LineSet::LineSet(QChart* chart, QAbstractAxis* x, QAbstractAxis* y, LegendClicked onLegendClicked)
    : m_chart(chart), m_x(x), m_y(y), m_onLegendClicked(std::move(onLegendClicked))
{
}

void LineSet::clear()
{
    m_chart->removeAllSeries();
    m_built.clear();
    m_notes = nullptr;
    m_eventLines.clear();
    m_events.clear();
}

bool LineSet::sameLines(const std::vector<ChartSeries>& series) const
{
    if (series.size() != m_built.size())
        return false;
    for (std::size_t i = 0; i < series.size(); ++i)
        if (series[i].name != m_built[i].name)
            return false;
    return true;
}

bool LineSet::sameShape(const std::vector<LineRuns>& lines, bool notes,
                        const std::vector<ChartEvent>& events) const
{
    if (lines.size() != m_built.size() || notes != (m_notes != nullptr) || !sameEvents(events, m_events))
        return false;
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (lines[i].name != m_built[i].name || m_built[i].segments.empty())
            return false;
    return true;
}

bool LineSet::sync(const std::vector<LineRuns>& lines, const QList<QPointF>& notes,
                   const std::vector<ChartEvent>& events, double yMin, double yMax)
{
    if (!sameShape(lines, !notes.isEmpty(), events)) {
        rebuild(lines, notes, events, yMin, yMax);
        return false;
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const LineRuns& line = lines[i];
        Built& built = m_built[i];
        // Runs come and go at the end (a NaN window splits a line): the first segment, which
        // carries the legend entry, always stays.
        while (built.segments.size() > line.runs.size()) {
            QLineSeries* extra = built.segments.back();
            built.segments.pop_back();
            m_chart->removeSeries(extra);
            delete extra;
        }
        for (std::size_t r = 0; r < line.runs.size(); ++r) {
            if (r < built.segments.size())
                updateSegment(built.segments[r], line, line.runs[r]);
            else
                built.segments.push_back(addSegment(line, line.runs[r], false));
        }
        if (built.shown != line.shown) {
            // Showing or hiding a series shows or hides its legend marker too: the line keeps
            // its one entry (to click it back on), its other runs none.
            for (std::size_t r = 0; r < built.segments.size(); ++r)
                for (QLegendMarker* marker : m_chart->legend()->markers(built.segments[r]))
                    marker->setVisible(r == 0);
        }
        if (built.shown != line.shown || built.color != line.color)
            styleLegend(built.segments.front(), line);
        built.shown = line.shown;
        built.color = line.color;
    }
    if (m_notes)
        m_notes->replace(notes);
    placeEvents(yMin, yMax);
    return true;
}

QLineSeries* LineSet::addSegment(const LineRuns& line, const QList<QPointF>& run, bool legendEntry)
{
    auto* segment = new QLineSeries;
    segment->setName(line.name);
    updateSegment(segment, line, run);
    m_chart->addSeries(segment);
    segment->attachAxis(m_x);
    segment->attachAxis(m_y);
    for (QLegendMarker* marker : m_chart->legend()->markers(segment)) {
        marker->setVisible(legendEntry);
        if (legendEntry) {
            // Clicking a legend entry hides or shows that version, e.g. to see the canary
            // without the bulk of the traffic on top of it.
            QObject::connect(marker, &QLegendMarker::clicked, m_chart,
                             [cb = m_onLegendClicked, name = line.name] { cb(name); });
        }
    }
    if (legendEntry)
        styleLegend(segment, line);
    return segment;
}

void LineSet::updateSegment(QLineSeries* segment, const LineRuns& line, const QList<QPointF>& run)
{
    if (segment->pen() != line.pen) {
        segment->setPen(line.pen);
        segment->setColor(line.color);
    }
    // A lone point has no line to show it: a marker does.
    const bool single = run.size() == 1;
    if (segment->pointsVisible() != single) {
        segment->setPointsVisible(single);
        segment->setMarkerSize(5);
    }
    if (segment->points() != run)
        segment->replace(run);
    if (segment->isVisible() != line.shown)
        segment->setVisible(line.shown);
}

void LineSet::styleLegend(QLineSeries* first, const LineRuns& line)
{
    for (QLegendMarker* marker : m_chart->legend()->markers(first)) {
        // A dashed outline on a legend square reads as noise (and breaks some PDF viewers).
        marker->setPen(QPen(line.color, 1.0));
        marker->setBrush(line.shown ? QBrush(line.color) : QBrush(Qt::NoBrush));
        QFont font = marker->font();
        font.setStrikeOut(!line.shown);
        marker->setFont(font);
    }
}

void LineSet::rebuild(const std::vector<LineRuns>& lines, const QList<QPointF>& notes,
                      const std::vector<ChartEvent>& events, double yMin, double yMax)
{
    ++m_rebuilds;
    clear();
    for (const LineRuns& line : lines) {
        Built built{line.name, line.color, line.shown, {}};
        for (std::size_t r = 0; r < line.runs.size(); ++r)
            built.segments.push_back(addSegment(line, line.runs[r], r == 0));
        m_built.push_back(std::move(built));
    }
    if (!notes.isEmpty()) {
        m_notes = new QScatterSeries;
        m_notes->setName(QStringLiteral("NaN/Inf"));
        m_notes->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
        m_notes->setMarkerSize(11);
        m_notes->setColor(palette::alarm());
        m_notes->setBorderColor(palette::alarm().darker(130));
        m_notes->replace(notes);
        m_chart->addSeries(m_notes);
        m_notes->attachAxis(m_x);
        m_notes->attachAxis(m_y);
    }
    m_events = events;
    QSet<QString> labelled;
    for (const ChartEvent& event : m_events) {
        auto* line = new QLineSeries;
        line->setName(event.label);
        QPen pen(event.color, 1.5, Qt::DashLine);
        pen.setCosmetic(true);
        line->setPen(pen);
        m_chart->addSeries(line);
        line->attachAxis(m_x);
        line->attachAxis(m_y);
        const bool first = !labelled.contains(event.label);
        labelled.insert(event.label);
        for (QLegendMarker* marker : m_chart->legend()->markers(line)) {
            marker->setVisible(first);
            marker->setPen(QPen(event.color, 1.0));
            marker->setBrush(QBrush(event.color));
        }
        m_eventLines.push_back(line);
    }
    placeEvents(yMin, yMax);
}

void LineSet::placeEvents(double yMin, double yMax)
{
    for (std::size_t i = 0; i < m_eventLines.size(); ++i) {
        const QList<QPointF> points{{m_events[i].xMs, yMin}, {m_events[i].xMs, yMax}};
        if (m_eventLines[i]->points() != points)
            m_eventLines[i]->replace(points);
    }
}

} // namespace vigil
