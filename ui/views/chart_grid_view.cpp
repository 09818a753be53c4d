#include "views/chart_grid_view.h"

#include "charts/chart_list.h"
#include "charts/time_range_sync.h"
#include "engine/window.h"
#include "format.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace vigil {

// One line that makes a pasted chart self-explanatory in an incident channel.
QString describeResult(const AnalysisResult& result)
{
    QStringList parts;
    if (result.log) {
        const auto& paths = result.log->paths;
        if (!paths.empty()) {
            QString source = QFileInfo(QString::fromStdString(paths.front())).fileName();
            if (paths.size() > 1)
                source += QStringLiteral(" +%1 more").arg(paths.size() - 1);
            parts << source;
        }
    }
    const AnalysisSnapshot& snap = result.snapshot;
    parts << QStringLiteral("%1 windows").arg(QString::fromStdString(formatWindowSize(snap.windowMs)));
    if (!snap.windows.empty())
        parts << QStringLiteral("%1 → %2").arg(formatUtc(snap.windows.front().startMs),
                                               formatUtc(snap.windows.back().endMs));
    if (result.log) {
        parts << QStringLiteral("%1 rows").arg(formatCount(result.log->table.rows()));
        if (result.log->malformed > 0)
            parts << QStringLiteral("%1 malformed lines").arg(formatCount(result.log->malformed));
    }
    if (snap.predictionKind == PredictionKind::Score)
        parts << QStringLiteral("threshold %1").arg(snap.threshold);
    return parts.join(QStringLiteral("  ·  "));
}

namespace {
constexpr int kColumns = 2;
}

ChartGridView::ChartGridView(QWidget* parent) : QWidget(parent)
{
    m_header = new QLabel(this);
    m_header->setTextFormat(Qt::PlainText);
    m_header->setStyleSheet(QStringLiteral("color: #333; padding: 4px 8px 0px 8px;"));
    m_header->hide();
    m_stack = new QStackedWidget(this);
    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    QFont big = m_empty->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    m_empty->setFont(big);
    m_empty->setStyleSheet(QStringLiteral("color: #555; padding: 40px;"));
    m_empty->setText(tr("Open a prediction log (File ▸ Open…, or drop a file here) to see its metrics."));

    m_gridHost = new QWidget;
    m_grid = new QGridLayout(m_gridHost);
    m_grid->setContentsMargins(4, 4, 4, 4);
    m_grid->setSpacing(6);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(m_gridHost);

    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_scroll);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(m_stack, 1);
}

void ChartGridView::setSync(TimeRangeSync* sync)
{
    m_sync = sync;
    for (TimeSeriesChart* chart : m_charts)
        chart->setSync(sync);
}

void ChartGridView::setResult(std::shared_ptr<const AnalysisResult> result)
{
    QElapsedTimer timer;
    timer.start();
    m_result = std::move(result);
    m_header->setVisible(m_result != nullptr);
    if (m_result)
        m_header->setText(describeResult(*m_result));
    m_wanted.clear();
    m_emptyRequested = false;
    if (m_result)
        rebuild(*m_result);
    else if (!rebuildWithoutResult())
        showEmptyState(tr("Open a prediction log (File ▸ Open…, or drop a file here) to see its metrics."));

    // Charts not asked for in this pass belong to a previous result.
    for (TimeSeriesChart* chart : m_charts)
        if (std::find(m_wanted.begin(), m_wanted.end(), chart) == m_wanted.end())
            chart->deleteLater();
    if (m_stagedReveal) {
        for (TimeSeriesChart* chart : m_wanted) {
            const bool isNew = std::find(m_charts.begin(), m_charts.end(), chart) == m_charts.end();
            if (isNew) {
                QSizePolicy policy = chart->sizePolicy();
                policy.setRetainSizeWhenHidden(true); // the grid keeps its shape while charts appear
                chart->setSizePolicy(policy);
                chart->hide();
                m_toReveal.emplace_back(chart);
            }
        }
        if (!m_toReveal.empty())
            QTimer::singleShot(1, this, &ChartGridView::revealNext);
    }
    // A live update asks for the same charts again: the grid stays as it is (re-adding
    // every widget would invalidate the layout and repaint the whole view).
    const bool sameCharts = m_charts == m_wanted && m_grid->count() == static_cast<int>(m_charts.size());
    m_charts = m_wanted;
    if (!sameCharts)
        relayout();
    m_stack->setCurrentWidget(m_emptyRequested || m_charts.empty() ? static_cast<QWidget*>(m_empty)
                                                                   : m_scroll);
    m_updateTimesMs.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
}

TimeSeriesChart* ChartGridView::chartFor(const QString& id, const QString& title)
{
    auto it =
        std::find_if(m_charts.begin(), m_charts.end(), [&](TimeSeriesChart* c) { return c->id() == id; });
    TimeSeriesChart* chart = nullptr;
    if (it != m_charts.end() && (*it)->property("vigilTitle").toString() == title) {
        chart = *it;
    } else {
        chart = new TimeSeriesChart(id, title, m_gridHost);
        chart->setProperty("vigilTitle", title);
        chart->setSync(m_sync);
    }
    m_wanted.push_back(chart);
    return chart;
}

void ChartGridView::revealNext()
{
    while (!m_toReveal.empty()) {
        QPointer<TimeSeriesChart> chart = m_toReveal.front();
        m_toReveal.erase(m_toReveal.begin());
        if (chart) {
            chart->show();
            break;
        }
    }
    // A real (1 ms) timer, so the chart just shown is painted before the next appears.
    if (!m_toReveal.empty())
        QTimer::singleShot(1, this, &ChartGridView::revealNext);
}

void ChartGridView::showEmptyState(const QString& message)
{
    m_emptyRequested = true;
    m_empty->setText(message);
}

void ChartGridView::relayout()
{
    while (m_grid->count() > 0)
        delete m_grid->takeAt(0);
    for (std::size_t i = 0; i < m_charts.size(); ++i)
        m_grid->addWidget(m_charts[i], static_cast<int>(i) / kColumns, static_cast<int>(i) % kColumns);
    for (int row = 0; row < m_grid->rowCount(); ++row)
        m_grid->setRowStretch(row, 1);
    for (int col = 0; col < kColumns; ++col)
        m_grid->setColumnStretch(col, 1);
}

QStringList ChartGridView::chartIds() const
{
    return chartIdsOf(m_charts);
}

TimeSeriesChart* ChartGridView::chart(const QString& id) const
{
    return findChart(m_charts, id);
}

int ChartGridView::seriesCount() const
{
    int n = 0;
    for (const TimeSeriesChart* chart : m_charts)
        n += chart->seriesCount();
    return n;
}

bool ChartGridView::isShowingEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

QString ChartGridView::emptyStateText() const
{
    return m_empty->text();
}

} // namespace vigil
