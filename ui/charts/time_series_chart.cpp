#include "charts/time_series_chart.h"

#include <QImage>

#include "charts/chart_canvas.h"
#include "charts/chart_export.h"
#include "charts/line_set.h"
#include "charts/nice_range.h"
#include "charts/palette.h"
#include "charts/time_axis.h"
#include "charts/time_range_sync.h"
#include "engine/decimate.h"
#include "engine/window.h"
#include "format.h"

#include <QtCharts/QCategoryAxis>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QScopedValueRollback>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

namespace vigil {

namespace {
constexpr int kYTicks = 5;
} // namespace

TimeSeriesChart::TimeSeriesChart(const QString& id, const QString& title, QWidget* parent)
    : QWidget(parent), m_id(id), m_title(title)
{
    setObjectName(id);
    m_ownSync = new TimeRangeSync(this);
    m_canvas = new ChartCanvas(this);
    QChart* chart = m_canvas->chart();
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(6, 4, 10, 2));
    chart->legend()->setAlignment(Qt::AlignBottom);
    // The legend clips its items to its shape; Qt's PDF engine misplaces that clip and
    // vector exports lost all but the first legend entry. The legend never scrolls here.
    chart->legend()->setFlag(QGraphicsItem::ItemClipsChildrenToShape, false);
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);

    m_canvas->xAxis = new QCategoryAxis;
    m_canvas->xAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_canvas->xAxis->setTitleText(QStringLiteral("time (UTC)"));
    QFont axisTitleFont = font();
    axisTitleFont.setPointSizeF(axisTitleFont.pointSizeF() * 0.85);
    m_canvas->xAxis->setTitleFont(axisTitleFont);
    m_canvas->xAxis->setGridLineColor(QColor(0xE0, 0xE0, 0xE0));
    chart->addAxis(m_canvas->xAxis, Qt::AlignBottom);
    m_canvas->yAxis = new QValueAxis;
    m_canvas->yAxis->setLabelFormat(QStringLiteral("%g"));
    m_canvas->yAxis->setGridLineColor(QColor(0xE0, 0xE0, 0xE0));
    chart->addAxis(m_canvas->yAxis, Qt::AlignLeft);
    connect(m_canvas->xAxis, &QValueAxis::rangeChanged, this, &TimeSeriesChart::onAxisRangeChanged);
    connect(chart, &QChart::plotAreaChanged, this, &TimeSeriesChart::onPlotAreaChanged);
    m_lines = std::make_unique<LineSet>(chart, m_canvas->xAxis, m_canvas->yAxis, [this](const QString& name) {
        setSeriesVisible(name, m_hiddenSeries.contains(name));
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_canvas);

    m_menuButton = new QToolButton(this);
    m_menuButton->setText(QStringLiteral("⋮"));
    m_menuButton->setToolTip(tr("Export or copy this chart"));
    m_menuButton->setAutoRaise(true);
    m_menuButton->setProperty(kHideInExport, true);
    m_menuButton->setPopupMode(QToolButton::InstantPopup);
    m_menuButton->setMenu(createExportMenu(this));

    setMinimumSize(360, 230);
    updateTitle();
    setSync(m_ownSync);
}

TimeSeriesChart::~TimeSeriesChart() = default;

QString TimeSeriesChart::title() const
{
    if (m_nonFinite == 0)
        return m_title;
    return m_title + QStringLiteral("  ⚠ %1 NaN/Inf").arg(formatCount(m_nonFinite));
}

QWidget* TimeSeriesChart::canvas() const
{
    return m_canvas;
}

void TimeSeriesChart::setSync(TimeRangeSync* sync)
{
    if (m_sync)
        disconnect(m_sync, nullptr, this, nullptr);
    m_sync = sync ? sync : m_ownSync;
    connect(m_sync, &TimeRangeSync::rangeChanged, this, &TimeSeriesChart::applyRange);
    if (m_sync->hasData())
        applyRange(m_sync->min(), m_sync->max());
}

void TimeSeriesChart::setData(std::vector<ChartSeries> series, std::vector<ChartNote> notes, double windowMs)
{
    m_series = std::move(series);
    m_notes = std::move(notes);
    m_windowMs = windowMs;
    m_nonFinite = 0;
    for (const ChartNote& note : m_notes)
        m_nonFinite += note.count;
    updateTitle();

    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const ChartSeries& s : m_series) {
        if (!s.xMs.empty()) {
            lo = std::min(lo, s.xMs.front());
            hi = std::max(hi, s.xMs.back() + windowMs);
        }
    }
    if (m_sync == m_ownSync && hi > lo)
        m_ownSync->setDataRange(lo, hi);
    rebuildSeries();
    if (m_sync->hasData())
        applyRange(m_sync->min(), m_sync->max());
}

void TimeSeriesChart::setEvents(std::vector<ChartEvent> events)
{
    m_events = std::move(events);
    rebuildSeries();
    if (m_sync->hasData())
        applyRange(m_sync->min(), m_sync->max());
}

QStringList TimeSeriesChart::seriesNames() const
{
    QStringList names;
    for (const ChartSeries& s : m_series)
        names << s.name;
    return names;
}

int TimeSeriesChart::pointCount(const QString& seriesName) const
{
    for (const Drawn& d : m_drawn)
        if (d.name == seriesName)
            return d.points;
    return -1;
}

void TimeSeriesChart::setSeriesVisible(const QString& seriesName, bool visible)
{
    if (visible == !m_hiddenSeries.contains(seriesName))
        return;
    if (visible)
        m_hiddenSeries.remove(seriesName);
    else
        m_hiddenSeries.insert(seriesName);
    rebuildSeries();
}

bool TimeSeriesChart::isSeriesVisible(const QString& seriesName) const
{
    return !m_hiddenSeries.contains(seriesName);
}

int TimeSeriesChart::segmentCount(const QString& seriesName) const
{
    for (const Drawn& d : m_drawn)
        if (d.name == seriesName)
            return d.segments;
    return -1;
}

std::pair<double, double> TimeSeriesChart::visibleRange() const
{
    return {m_canvas->xAxis->min(), m_canvas->xAxis->max()};
}

void TimeSeriesChart::zoomBy(double factor, double centreMs)
{
    const auto [lo, hi] = visibleRange();
    m_sync->setRange(centreMs - (centreMs - lo) * factor, centreMs + (hi - centreMs) * factor);
}

void TimeSeriesChart::panBy(double fraction)
{
    const auto [lo, hi] = visibleRange();
    const double delta = (hi - lo) * fraction;
    m_sync->setRange(lo + delta, hi + delta);
}

void TimeSeriesChart::resetZoom()
{
    m_sync->reset();
}

void TimeSeriesChart::onAxisRangeChanged(double minMs, double maxMs)
{
    // Only the user's own zoom in this chart (rubber band) gets here; ranges applied from the
    // shared sync are guarded so that linked charts do not echo each other.
    if (m_applyingRange)
        return;
    m_sync->setRange(minMs, maxMs);
}

void TimeSeriesChart::applyRange(double minMs, double maxMs)
{
    if (!(maxMs > minMs))
        return;
    // A chart on a hidden tab takes the range when it is shown again (the shared range
    // moves with every new window while following; re-ticking unseen axes costs the UI).
    if (m_shownOnce && !isVisible()) {
        m_pendingRange = {minMs, maxMs};
        return;
    }
    m_pendingRange.reset();
    // A live update re-applies the same range: the axis and its tick labels stay.
    if (m_canvas->xAxis->min() == minMs && m_canvas->xAxis->max() == maxMs &&
        m_ticksForWidth == plotWidthPx())
        return;
    m_applyingRange = true;
    m_canvas->xAxis->setRange(minMs, maxMs);
    rebuildTimeTicks();
    m_applyingRange = false;
    if (m_rangeDependent && !m_rebuilding)
        rebuildSeries();
}

void TimeSeriesChart::onPlotAreaChanged()
{
    // Tick density and decimation depend on the plot's width, known only after layout.
    if (m_applyingRange || m_rebuilding)
        return;
    const int width = plotWidthPx();
    if (std::abs(width - m_ticksForWidth) > 10) {
        m_applyingRange = true;
        rebuildTimeTicks();
        m_applyingRange = false;
    }
    bool large = false;
    for (const ChartSeries& s : m_series)
        large = large || static_cast<int>(s.xMs.size()) > 2 * std::min(m_builtForWidth, width);
    if ((large && std::abs(width - m_builtForWidth) > 20) ||
        (!m_series.empty() && yTicksForPlot() != m_yTicks))
        rebuildSeries();
}

// As many value-axis ticks as the plot's height spaces readably: Qt Charts elides a label
// to "…" when its neighbours leave it no room, which a short chart (the drift view's
// multivariate strip) otherwise shows on every tick.
int TimeSeriesChart::yTicksForPlot() const
{
    const double plot = m_canvas->chart()->plotArea().height();
    if (plot < 20)
        return kYTicks;
    return std::clamp(static_cast<int>(plot / 28.0) + 1, 2, kYTicks);
}

int TimeSeriesChart::plotWidthPx() const
{
    const double plot = m_canvas->chart()->plotArea().width();
    if (plot > 50)
        return static_cast<int>(plot);
    return std::max(300, width() - 80);
}

void TimeSeriesChart::rebuildTimeTicks()
{
    QCategoryAxis* axis = m_canvas->xAxis;
    const QStringList old = axis->categoriesLabels();
    for (const QString& label : old)
        axis->remove(label);
    m_ticksForWidth = plotWidthPx();
    // Short labels ("Nov 21", "14:00") fit every ~70 px; "Nov 21 06:00" needs ~110 px.
    auto ticks = utcTicks(axis->min(), axis->max(), std::max(2, m_ticksForWidth / 70));
    const bool longLabels =
        std::any_of(ticks.begin(), ticks.end(), [](const TimeTick& t) { return t.label.size() > 6; });
    if (longLabels)
        ticks = utcTicks(axis->min(), axis->max(), std::max(2, m_ticksForWidth / 110));
    axis->setStartValue(axis->min());
    for (const TimeTick& tick : ticks)
        axis->append(tick.label, tick.ms);
}

void TimeSeriesChart::updateTitle()
{
    QString title = m_title.toHtmlEscaped();
    if (m_nonFinite > 0)
        title += QStringLiteral("&nbsp;&nbsp;<span style=\"color:%1\">⚠ %2 NaN/Inf</span>")
                     .arg(palette::alarm().name(), formatCount(m_nonFinite));
    // The title is rich text: setting it re-lays out a text document and the chart, even
    // when it is the same, which a live update (every 250 ms) would pay for each chart.
    if (m_canvas->chart()->title() != title)
        m_canvas->chart()->setTitle(title);
}

void TimeSeriesChart::rebuildSeries()
{
    const QScopedValueRollback guard(m_rebuilding, true);
    m_drawn.clear();
    const int buckets = plotWidthPx();
    m_builtForWidth = buckets;

    // The y range comes from all the data so that zooming in time does not rescale it.
    double yMin = std::numeric_limits<double>::infinity();
    double yMax = -yMin;
    for (const ChartSeries& s : m_series)
        for (double y : s.y)
            if (std::isfinite(y)) {
                yMin = std::min(yMin, y);
                yMax = std::max(yMax, y);
            }

    const auto [visibleLo, visibleHi] = visibleRange();
    const bool haveRange = m_sync && m_sync->hasData() && visibleHi > visibleLo;
    m_rangeDependent = false;
    std::vector<LineRuns> lines;
    lines.reserve(m_series.size());
    for (const ChartSeries& s : m_series) {
        std::span<const double> xs(s.xMs);
        std::span<const double> ys(s.y);
        // A series longer than the plot is wide is cut to the visible range (plus one point
        // either side so lines run to the edge) before decimation, so zooming in shows detail.
        if (haveRange && xs.size() > 2 * static_cast<std::size_t>(buckets)) {
            auto from = std::lower_bound(xs.begin(), xs.end(), visibleLo);
            auto to = std::upper_bound(xs.begin(), xs.end(), visibleHi);
            if (from != xs.begin())
                --from;
            if (to != xs.end())
                ++to;
            const auto offset = static_cast<std::size_t>(from - xs.begin());
            const auto count = static_cast<std::size_t>(to - from);
            xs = xs.subspan(offset, count);
            ys = ys.subspan(offset, count);
            m_rangeDependent = true;
        }
        const DecimatedSeries d = decimateMinMax(xs, ys, buckets);
        LineRuns line;
        line.name = s.name;
        line.color = s.color;
        line.pen = QPen(s.color, s.width, s.style);
        line.pen.setCosmetic(true);
        line.shown = !m_hiddenSeries.contains(s.name);
        // A null or NaN ends a run: each finite run is its own line so nothing is drawn
        // across a gap, and only the first one appears in the legend.
        QList<QPointF> run;
        for (std::size_t i = 0; i < d.x.size(); ++i) {
            if (std::isfinite(d.y[i])) {
                run.append(QPointF(d.x[i], d.y[i]));
            } else if (!run.isEmpty()) {
                line.runs.push_back(std::move(run));
                run = {};
            }
        }
        if (!run.isEmpty() || line.runs.empty())
            line.runs.push_back(std::move(run));
        int count = 0;
        int segments = 0;
        for (const QList<QPointF>& r : line.runs) {
            count += static_cast<int>(r.size());
            segments += r.isEmpty() ? 0 : 1;
        }
        m_drawn.push_back({s.name, count, segments});
        lines.push_back(std::move(line));
    }

    if (!(yMax >= yMin)) {
        yMin = 0.0;
        yMax = 1.0;
    }
    // A flat line with floating-point noise (4.7619047619 ± 1e-15) is flat: an axis
    // spanning 1e-15 would get no readable labels.
    if (yMax > yMin && yMax - yMin < 1e-9 * std::max(std::abs(yMax), 1.0))
        yMin = yMax;
    const double pad = yMax > yMin ? (yMax - yMin) * 0.08 : std::max(std::abs(yMax) * 0.1, 1.0);
    double lo = yMin - pad;
    double hi = yMax + pad;
    if (yMin >= 0.0 && lo < 0.0)
        lo = 0.0; // counts and rates never go below zero; don't suggest they could
    if (yMax <= 1.0 && hi > 1.0 && yMax > 0.5)
        hi = 1.0; // fractions (accuracy, AUC…) top out at 1; an axis to 1.5 wastes a third of the plot
    // A new y range re-lays out the axis labels (rich text) and repaints the whole chart:
    // most of a live update's cost. While the lines stay the same (live updates), the
    // axis is kept as long as it holds the data and the data spans at least half of it.
    const int ticks = yTicksForPlot();
    const NiceRange nice = niceRange(lo, hi, ticks);
    const double shownLo = m_canvas->yAxis->min();
    const double shownHi = m_canvas->yAxis->max();
    const bool keep = m_lines->sameLines(m_series) && yMin >= shownLo && yMax <= shownHi &&
                      nice.max - nice.min >= 0.5 * (shownHi - shownLo) && ticks == m_yTicks;
    if (!keep) {
        m_canvas->yAxis->setRange(nice.min, nice.max);
        m_canvas->yAxis->setTickCount(nice.ticks);
        m_yTicks = ticks;
    }

    QList<QPointF> notes;
    const double noteY = m_canvas->yAxis->min() + (m_canvas->yAxis->max() - m_canvas->yAxis->min()) * 0.03;
    for (const ChartNote& note : m_notes)
        notes.append(QPointF(note.xMs + m_windowMs / 2, noteY));
    m_lines->sync(lines, notes, m_events, m_canvas->yAxis->min(), m_canvas->yAxis->max());
}

QList<const QObject*> TimeSeriesChart::seriesObjects() const
{
    QList<const QObject*> out;
    for (const QAbstractSeries* s : m_canvas->chart()->series())
        out.append(s);
    return out;
}

QStringList TimeSeriesChart::legendEntries() const
{
    QStringList out;
    for (const QLegendMarker* marker : m_canvas->chart()->legend()->markers())
        if (marker->isVisible())
            out << marker->label();
    return out;
}

int TimeSeriesChart::structuralRebuilds() const
{
    return m_lines->rebuilds();
}

bool TimeSeriesChart::isBreakPoint(const ChartSeries& s, std::size_t i)
{
    return i < s.rows.size() && s.rows[i] == 0 && std::isnan(s.y[i]);
}

QString TimeSeriesChart::tooltipAt(double xMs) const
{
    if (m_windowMs <= 0.0)
        return {};
    double start = std::numeric_limits<double>::quiet_NaN();
    for (const ChartSeries& s : m_series) {
        auto it = std::upper_bound(s.xMs.begin(), s.xMs.end(), xMs);
        if (it == s.xMs.begin())
            continue;
        const double candidate = *(it - 1);
        const auto i = static_cast<std::size_t>(it - s.xMs.begin()) - 1;
        if (isBreakPoint(s, i))
            continue;
        if (xMs < candidate + m_windowMs && (std::isnan(start) || candidate > start))
            start = candidate;
    }
    if (std::isnan(start))
        return {};

    QString html = QStringLiteral("<b>%1</b> &middot; %2 window")
                       .arg(formatUtc(static_cast<std::int64_t>(start)),
                            QString::fromStdString(formatWindowSize(static_cast<std::int64_t>(m_windowMs))));
    html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"1\">");
    for (const ChartSeries& s : m_series) {
        auto it = std::lower_bound(s.xMs.begin(), s.xMs.end(), start);
        if (it == s.xMs.end() || *it != start)
            continue;
        const auto i = static_cast<std::size_t>(it - s.xMs.begin());
        if (isBreakPoint(s, i))
            continue;
        QString value = std::isnan(s.y[i]) ? QStringLiteral("—") : formatValue(s.y[i]);
        if (!std::isnan(s.y[i]) && !m_unit.isEmpty())
            value += QLatin1Char(' ') + m_unit;
        const QString rows =
            i < s.rows.size() ? QStringLiteral("%1 rows").arg(formatCount(s.rows[i])) : QString();
        html += QStringLiteral("<tr><td><span style=\"color:%1\">■</span> %2</td>"
                               "<td align=\"right\">&nbsp;<b>%3</b></td><td>&nbsp;%4</td></tr>")
                    .arg(s.color.name(), s.name.toHtmlEscaped(), value, rows);
    }
    html += QStringLiteral("</table>");
    for (const ChartEvent& event : m_events)
        if (event.xMs >= start && event.xMs < start + m_windowMs)
            html += QStringLiteral("<span style=\"color:%1\">▍ %2</span><br/>")
                        .arg(event.color.name(), event.detail.toHtmlEscaped());
    for (const ChartNote& note : m_notes)
        if (note.xMs == start)
            html += QStringLiteral("<span style=\"color:%1\">⚠ %2</span><br/>")
                        .arg(palette::alarm().name(), note.text.toHtmlEscaped());
    return html;
}

void TimeSeriesChart::settleLayout() const
{
    // A chart that was resized but never shown (tests, headless export) has not laid
    // out its canvas yet.
    if (layout())
        layout()->activate();
}

bool TimeSeriesChart::exportTo(const QString& path, QString* error) const
{
    settleLayout();
    return exportWidget(m_canvas, path, 2.0, error, m_title);
}

void TimeSeriesChart::copyToClipboard() const
{
    settleLayout();
    QApplication::clipboard()->setImage(renderToImage(m_canvas, 2.0));
}

QMenu* TimeSeriesChart::createExportMenu(QWidget* parent)
{
    auto* menu = new QMenu(parent);
    menu->addAction(tr("Export as PNG…"), this, [this] { exportWithDialog(QStringLiteral("png")); });
    menu->addAction(tr("Export as SVG…"), this, [this] { exportWithDialog(QStringLiteral("svg")); });
    menu->addAction(tr("Export as PDF…"), this, [this] { exportWithDialog(QStringLiteral("pdf")); });
    menu->addAction(tr("Copy to clipboard"), this, [this] { copyToClipboard(); });
    menu->addSeparator();
    menu->addAction(tr("Reset zoom"), this, [this] { resetZoom(); });
    return menu;
}

void TimeSeriesChart::exportWithDialog(const QString& suffix)
{
    const QString filter = suffix.toUpper() + tr(" files (*.") + suffix + QStringLiteral(")");
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export chart"), m_id + QLatin1Char('.') + suffix, filter);
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

void TimeSeriesChart::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    m_shownOnce = true;
    if (const auto pending = m_pendingRange)
        applyRange(pending->first, pending->second);
}

void TimeSeriesChart::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    m_menuButton->move(width() - m_menuButton->sizeHint().width() - 2, 2);
    m_menuButton->raise();
}

void TimeSeriesChart::warmUpCaches()
{
    TimeSeriesChart chart(QStringLiteral("warm-up"), QStringLiteral("Warm-up (ms)"));
    ChartSeries series;
    series.name = QStringLiteral("warm-up");
    series.color = Qt::darkBlue;
    series.xMs = {0.0, 3'600'000.0, 7'200'000.0};
    series.y = {1.0, 2.0, 1.5};
    series.rows = {1, 1, 1};
    chart.setData({std::move(series)}, {}, 3'600'000.0);
    chart.resize(640, 320);
    QImage image(chart.size(), QImage::Format_ARGB32_Premultiplied);
    chart.render(&image);
}

} // namespace vigil
