#include "views/resources_view.h"

#include "charts/chart_list.h"
#include "charts/time_range_sync.h"
#include "charts/time_series_chart.h"
#include "format.h"
#include "models/endpoint_health_model.h"
#include "models/metric_catalog_model.h"
#include "views/resource_series.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace vigil {

namespace {
constexpr int kMinChartHeight = 230;
constexpr std::size_t kChartsPerTurn = 3;

QLabel* sectionTitle(const QString& text)
{
    auto* label = new QLabel(text);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}
} // namespace

ResourcesView::ResourcesView(QWidget* parent) : QWidget(parent)
{
    m_header = new QLabel(this);
    m_header->setTextFormat(Qt::PlainText);
    m_header->setStyleSheet(QStringLiteral("color: #333; padding: 4px 8px 0px 8px;"));

    m_empty = new QLabel;
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setStyleSheet(QStringLiteral("color: #555; padding: 40px;"));
    m_empty->setText(tr("Waiting for the first samples… (this machine is sampled every second; add "
                        "Prometheus endpoints with Resources ▸ Add metrics endpoint… or --scrape URL)"));
    m_gridHost = new QWidget;
    m_grid = new QGridLayout(m_gridHost);
    m_grid->setContentsMargins(4, 4, 4, 4);
    m_grid->setSpacing(6);
    m_scroll = new QScrollArea;
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(m_gridHost);
    m_stack = new QStackedWidget;
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_scroll);

    m_health = new EndpointHealthModel(this);
    m_healthTable = new QTableView;
    m_healthTable->setModel(m_health);
    m_healthTable->verticalHeader()->hide();
    m_healthTable->horizontalHeader()->setStretchLastSection(true);
    m_healthTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_healthTable->setWordWrap(false);
    m_healthTable->setMaximumHeight(150);
    m_healthTitle = sectionTitle(tr("Endpoints"));

    m_catalog = new MetricCatalogModel(this);
    m_filter = new QSortFilterProxyModel(this);
    m_filter->setSourceModel(m_catalog);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filterEdit = new QLineEdit;
    m_filterEdit->setPlaceholderText(tr("Filter series (name, label, instance)…"));
    m_filterEdit->setClearButtonEnabled(true);
    connect(m_filterEdit, &QLineEdit::textChanged, this, &ResourcesView::setBrowserFilter);
    m_browser = new QListView;
    m_browser->setModel(m_filter);
    m_browser->setUniformItemSizes(true); // thousands of rows without measuring each
    m_browser->setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(m_browser->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    emit browseRequested(current.data(MetricCatalogModel::KeyRole).toString());
            });

    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(4, 4, 4, 4);
    sideLayout->addWidget(m_healthTitle);
    sideLayout->addWidget(m_healthTable);
    sideLayout->addWidget(sectionTitle(tr("Metric browser (pick a series to chart it; counters as rates)")));
    sideLayout->addWidget(m_filterEdit);
    sideLayout->addWidget(m_browser, 1);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_stack);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(splitter, 1);
    setSourceText({});
}

void ResourcesView::setSync(TimeRangeSync* sync)
{
    m_sync = sync;
    for (TimeSeriesChart* c : m_charts)
        c->setSync(sync);
}

void ResourcesView::setSourceText(const QString& text)
{
    m_sourceText = text;
    QStringList parts;
    if (!text.isEmpty())
        parts << text;
    if (m_data) {
        parts << tr("%1 series, %2 points")
                     .arg(formatCount(m_data->seriesCount), formatCount(m_data->pointCount));
        if (m_data->maxMs > m_data->minMs)
            parts << QStringLiteral("%1 → %2").arg(formatUtc(static_cast<std::int64_t>(m_data->minMs), true),
                                                   formatUtc(static_cast<std::int64_t>(m_data->maxMs), true));
        for (const std::string& note : m_data->notes)
            parts << QString::fromStdString(note);
    }
    m_header->setText(parts.isEmpty() ? tr("Resources") : parts.join(QStringLiteral("  ·  ")));
}

void ResourcesView::setData(std::shared_ptr<const ResourceViewData> data)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_data = std::move(data);
    ++m_updates;
    // Charts the previous update had not reached yet go first this time, so a fast feed
    // on a slow machine cannot leave the last charts of the grid never refreshed.
    QStringList behind;
    for (std::size_t i = m_next; i < m_plan.size(); ++i)
        behind << QString::fromStdString(m_plan[i].id);
    m_plan.clear();
    m_planned.clear();
    if (m_data) {
        // The user's own picks first: a query result, then the browsed series.
        if (m_data->query)
            m_plan.push_back({"query", resourceChartTitle(*m_data->query, tr("Query: ")), &*m_data->query});
        if (m_data->browsed)
            m_plan.push_back(
                {"browse", resourceChartTitle(*m_data->browsed, tr("Browser: ")), &*m_data->browsed});
        for (const ResourceChart& c : m_data->charts)
            m_plan.push_back({c.id, resourceChartTitle(c), &c});
        const int rowsBefore = m_health->rowCount();
        m_health->setEndpoints(m_data->endpoints);
        if (m_health->rowCount() != rowsBefore)
            m_healthTable->resizeColumnsToContents();
        m_catalog->setCatalog(m_data->catalog);
    } else {
        m_health->setEndpoints({});
        m_catalog->setCatalog({});
    }
    for (const PlannedChart& p : m_plan)
        m_planned.push_back(QString::fromStdString(p.id));
    std::stable_partition(m_plan.begin(), m_plan.end(), [&](const PlannedChart& p) {
        return behind.contains(QString::fromStdString(p.id));
    });
    // Charts the new data does not have go now; the rest are filled in turns.
    std::vector<TimeSeriesChart*> kept;
    for (TimeSeriesChart* c : m_charts) {
        const auto it = std::find_if(m_plan.begin(), m_plan.end(), [&](const PlannedChart& p) {
            return QString::fromStdString(p.id) == c->id();
        });
        if (it == m_plan.end() || c->property("vigilTitle").toString() != it->title)
            c->deleteLater();
        else
            kept.push_back(c);
    }
    if (kept != m_charts) {
        m_charts = std::move(kept);
        relayout();
    }
    m_next = 0;
    m_healthTitle->setVisible(m_health->rowCount() > 0);
    m_healthTable->setVisible(m_health->rowCount() > 0);
    setSourceText(m_sourceText);
    if (m_fit) {
        while (m_next < m_plan.size())
            fillSome(m_plan.size());
    } else {
        fillSome(kChartsPerTurn);
    }
}

// Filling a chart (and creating one) costs a few ms in Qt Charts; a dozen in one turn
// would stall the UI on every live update, so each event-loop turn fills a few.
void ResourcesView::fillSome(std::size_t count)
{
    bool created = false;
    const auto generation = m_updates;
    for (std::size_t n = 0; n < count && m_next < m_plan.size(); ++n, ++m_next) {
        const PlannedChart& p = m_plan[m_next];
        const QString id = QString::fromStdString(p.id);
        TimeSeriesChart* chart = this->chart(id);
        if (!chart) {
            chart = new TimeSeriesChart(id, p.title, m_gridHost);
            chart->setProperty("vigilTitle", p.title);
            chart->setSync(m_sync);
            chart->setMinimumHeight(m_fit ? 0 : kMinChartHeight);
            if (!m_fit) {
                // Its first layout and paint is the costly part: each new chart gets a turn
                // of its own to appear (the grid keeps its shape meanwhile).
                QSizePolicy policy = chart->sizePolicy();
                policy.setRetainSizeWhenHidden(true);
                chart->setSizePolicy(policy);
                chart->hide();
                if (m_toReveal.empty())
                    QTimer::singleShot(1, this, &ResourcesView::revealNext);
                m_toReveal.emplace_back(chart);
            }
            m_charts.push_back(chart);
            created = true;
        }
        fillChart(chart, *p.chart);
    }
    if (m_next >= m_plan.size()) {
        // Display order = plan order.
        std::vector<TimeSeriesChart*> ordered;
        for (const QString& id : m_planned)
            if (TimeSeriesChart* c = chart(id))
                ordered.push_back(c);
        created = created || ordered != m_charts;
        m_charts = std::move(ordered);
    }
    if (created)
        relayout();
    m_stack->setCurrentWidget(m_charts.empty() ? static_cast<QWidget*>(m_empty) : m_scroll);
    if (m_next < m_plan.size())
        QTimer::singleShot(1, this, [this, generation] {
            if (generation == m_updates) // a newer setData restarted the plan
                fillSome(kChartsPerTurn);
        });
}

bool ResourcesView::isSettled() const
{
    return m_next >= m_plan.size() && m_toReveal.empty();
}

void ResourcesView::revealNext()
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
        QTimer::singleShot(1, this, &ResourcesView::revealNext);
}

void ResourcesView::setFitToView(bool on)
{
    m_fit = on;
    m_scroll->setVerticalScrollBarPolicy(on ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
    for (TimeSeriesChart* c : m_charts)
        c->setMinimumHeight(on ? 0 : kMinChartHeight);
    relayout();
}

void ResourcesView::relayout()
{
    while (m_grid->count() > 0)
        delete m_grid->takeAt(0);
    const int n = static_cast<int>(m_charts.size());
    m_columns = 2;
    if (m_fit && n > 0) {
        // The column count whose charts come out largest at a 1.6:1 aspect ratio.
        const double w = std::max(400, width() * 3 / 4);
        const double h = std::max(300, height() - 40);
        double best = 0.0;
        for (int c = 2; c <= 4; ++c) {
            const int rows = (n + c - 1) / c;
            const double size = std::min(w / c, 1.6 * h / rows);
            if (size > best + 1.0) {
                best = size;
                m_columns = c;
            }
        }
    }
    for (int i = 0; i < n; ++i)
        m_grid->addWidget(m_charts[static_cast<std::size_t>(i)], i / m_columns, i % m_columns);
    for (int col = 0; col < 4; ++col)
        m_grid->setColumnStretch(col, col < m_columns ? 1 : 0);
    for (int row = 0; row < m_grid->rowCount(); ++row)
        m_grid->setRowStretch(row, 1);
}

int ResourcesView::chartWidthPx() const
{
    const int grid = m_stack->width() > 100 ? m_stack->width() - 20 : width() * 3 / 4;
    return std::max(200, grid / m_columns - 80);
}

void ResourcesView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    const int w = chartWidthPx();
    if (std::abs(w - m_lastWidth) > 20) {
        m_lastWidth = w;
        emit chartWidthChanged(w);
    }
}

QStringList ResourcesView::chartIds() const
{
    return chartIdsOf(m_charts);
}

TimeSeriesChart* ResourcesView::chart(const QString& id) const
{
    return findChart(m_charts, id);
}

void ResourcesView::setBrowserFilter(const QString& text)
{
    if (m_filterEdit->text() != text)
        m_filterEdit->setText(text); // comes back here through textChanged
    else
        m_filter->setFilterFixedString(text);
}

void ResourcesView::browse(const QString& key)
{
    for (int row = 0; row < m_filter->rowCount(); ++row) {
        const QModelIndex i = m_filter->index(row, 0);
        if (i.data(MetricCatalogModel::KeyRole).toString() == key) {
            m_browser->setCurrentIndex(i);
            return;
        }
    }
    emit browseRequested(key);
}

bool ResourcesView::isShowingEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

} // namespace vigil
