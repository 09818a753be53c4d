#include "views/drift_view.h"

#include "charts/time_series_chart.h"
#include "format.h"
#include "views/chart_grid_view.h"
#include "views/drift_charts.h"
#include "views/drift_colors.h"
#include "views/drift_heatmap.h"
#include "views/drift_series.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

#include <utility>

namespace vigil {

DriftView::DriftView(QWidget* parent) : QWidget(parent)
{
    m_header = new QLabel;
    m_header->setTextFormat(Qt::PlainText);
    m_header->setStyleSheet(QStringLiteral("color: #333; padding: 4px 8px 0px 8px;"));
    m_header->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_statistic = new QComboBox;
    for (const DriftStatistic s : kAllDriftStatistics)
        m_statistic->addItem(QString::fromUtf8(driftStatisticLabel(s).data()), static_cast<int>(s));
    m_statistic->setToolTip(tr("The statistic the heatmap colours by (every statistic is in the tooltip)"));
    m_legend = new HeatmapLegend;
    m_summary = new QLabel;
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true); // long reference ranges wrap instead of widening the view
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_summary->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(8, 2, 8, 2);
    controls->addWidget(new QLabel(tr("Colour:")));
    controls->addWidget(m_statistic);
    controls->addSpacing(12);
    controls->addWidget(m_legend);
    controls->addWidget(m_summary, 1);

    m_multivariate = new TimeSeriesChart(
        QStringLiteral("multivariate"),
        tr("Multivariate drift: PCA reconstruction error (dashed: reference band, red: drifted)"));
    m_multivariate->setMinimumHeight(215);
    m_multivariate->setMaximumHeight(260);
    m_heatmap = new DriftHeatmap;

    m_panelTitle = new QLabel;
    m_panelTitle->setWordWrap(true);
    m_panelTitle->setTextFormat(Qt::RichText);
    m_histogram = new DistributionChart(DistributionChart::Kind::Histogram);
    m_ecdf = new DistributionChart(DistributionChart::Kind::Ecdf);
    m_table = new QTableWidget(0, 2);
    m_table->setHorizontalHeaderLabels({tr("Statistic"), tr("Value")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setMinimumHeight(120);
    m_overTime = new TimeSeriesChart(QStringLiteral("feature_over_time"),
                                     tr("This feature's drift over time (red: drifted windows)"));
    m_overTime->setMinimumHeight(200);
    m_panel = new QWidget;
    auto* panelLayout = new QVBoxLayout(m_panel);
    panelLayout->setContentsMargins(6, 4, 6, 4);
    panelLayout->addWidget(m_panelTitle);
    auto* charts = new QHBoxLayout;
    charts->addWidget(m_histogram, 1);
    charts->addWidget(m_ecdf, 1);
    panelLayout->addLayout(charts, 3);
    auto* lower = new QHBoxLayout;
    lower->addWidget(m_table, 2);
    lower->addWidget(m_overTime, 3);
    panelLayout->addLayout(lower, 2);
    m_panel->hide();

    m_split = new QSplitter(Qt::Vertical);
    m_split->addWidget(m_heatmap);
    m_split->addWidget(m_panel);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 4);
    m_split->setChildrenCollapsible(false);

    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->setSpacing(2);
    contentLayout->addLayout(controls);
    contentLayout->addWidget(m_multivariate);
    contentLayout->addWidget(m_split, 1);

    m_message = new QLabel;
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #555; padding: 40px;"));
    m_stack = new QStackedWidget;
    m_stack->addWidget(m_message);
    m_stack->addWidget(content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(m_stack, 1);
    m_pendingText =
        tr("Open a prediction log (File ▸ Open…, or drop a file here) to see which inputs drift.");
    m_message->setText(m_pendingText);
    m_header->hide();

    // JS is defined for numeric and categorical features alike, so no row starts out blank.
    m_statistic->setCurrentIndex(m_statistic->findData(static_cast<int>(DriftStatistic::JensenShannon)));
    connect(m_statistic, &QComboBox::activated, this,
            [this](int) { setStatistic(static_cast<DriftStatistic>(m_statistic->currentData().toInt())); });
    connect(m_heatmap, &DriftHeatmap::cellClicked, this, &DriftView::openDrilldown);
    connect(m_heatmap, &DriftHeatmap::modelChanged, this, &DriftView::onModelChanged);
}

DriftView::~DriftView() = default;

void DriftView::setSync(TimeRangeSync* sync)
{
    m_multivariate->setSync(sync);
    m_overTime->setSync(sync);
    m_heatmap->setSync(sync);
}

void DriftView::setPendingText(const QString& text)
{
    m_pendingText = text;
    if (!m_result || !m_result->snapshot.drift)
        m_message->setText(text);
}

void DriftView::setResult(std::shared_ptr<const AnalysisResult> result)
{
    m_result = std::move(result);
    m_task.cancel();
    rebuild();
}

DriftStatistic DriftView::statistic() const
{
    return m_heatmap->statistic();
}

void DriftView::setStatistic(DriftStatistic statistic)
{
    const int index = m_statistic->findData(static_cast<int>(statistic));
    if (index >= 0)
        m_statistic->setCurrentIndex(index);
    m_heatmap->setStatistic(statistic); // the legend follows via onModelChanged
    refreshOverTime();
}

void DriftView::rebuild()
{
    m_header->setVisible(m_result != nullptr);
    if (m_result)
        m_header->setText(describeResult(*m_result));
    if (!m_result || !m_result->snapshot.drift) {
        m_message->setText(m_pendingText);
        m_stack->setCurrentWidget(m_message);
        m_heatmap->setResult(nullptr, statistic());
        return;
    }
    const AnalysisSnapshot& snap = m_result->snapshot;
    const DriftSnapshot& drift = *snap.drift;
    if (drift.windows.empty() || drift.windows.front().features.empty()) {
        m_message->setText(tr("No features to compare: the log has no feature columns and no prediction."));
        m_stack->setCurrentWidget(m_message);
        return;
    }
    m_stack->setCurrentWidget(m_stack->widget(1));
    // A new result (reload, follow) keeps the drill-down of the same feature if it still exists.
    m_reopenFeature = m_drilldown ? QString::fromStdString(m_drilldown->feature) : QString();
    m_drilldown.reset();
    m_panel->hide();
    const auto series = multivariateSeries(snap);
    m_multivariate->setVisible(!series.empty());
    m_multivariate->setData(series, {}, static_cast<double>(snap.windowMs));
    m_heatmap->setResult(m_result, statistic());
}

void DriftView::onModelChanged()
{
    const DriftHeatmapModel* model = m_heatmap->model();
    if (!model || !m_result || !m_result->snapshot.drift) {
        m_summary->setText(m_heatmap->isBuilding() ? tr("Preparing the heatmap…") : QString());
        return;
    }
    const DriftSnapshot& drift = *m_result->snapshot.drift;
    m_legend->setScale(model->statistic, model->scale);
    int driftedFeatures = 0;
    for (const HeatmapFeature& f : model->features)
        driftedFeatures += f.driftedWindows > 0 ? 1 : 0;
    const auto multivariateDrifted =
        std::count_if(drift.windows.begin(), drift.windows.end(),
                      [](const WindowDrift& w) { return w.multivariate.drifted; });
    m_summary->setText(
        tr("%1 of %2 inputs drifted · multivariate drift in %3 windows · reference %4 → %5 (%6 rows)")
            .arg(driftedFeatures)
            .arg(model->features.size())
            .arg(multivariateDrifted)
            .arg(formatUtc(drift.reference.startMs), formatUtc(drift.reference.endMs),
                 formatCount(drift.reference.rows)));
    const QString reopen = std::exchange(m_reopenFeature, QString());
    if (!reopen.isEmpty() && model->rowOf(reopen.toStdString()) >= 0)
        openDrilldown(reopen, static_cast<int>(m_result->snapshot.windows.size()) - 1);
}

void DriftView::openDrilldown(const QString& feature, int window)
{
    if (!m_result || !m_result->snapshot.drift || window < 0)
        return;
    m_heatmap->setSelectedCell(feature, window);
    m_panelTitle->setText(tr("<b>%1</b> — computing…").arg(feature.toHtmlEscaped()));
    m_panel->show();
    auto result = m_result;
    const std::string name = feature.toStdString();
    const auto w = static_cast<std::size_t>(window);
    m_task.start(
        [result, name, w](std::stop_token stop) -> Result<std::shared_ptr<const FeatureDrilldown>> {
            DrilldownOptions options;
            options.referenceTable = result->options.drift.referenceTable;
            auto d = computeDrilldown(result->log->table, result->snapshot, name, w, options, stop);
            if (!d)
                return d.error();
            return std::shared_ptr<const FeatureDrilldown>(
                std::make_shared<const FeatureDrilldown>(std::move(d.value())));
        },
        [this](Result<std::shared_ptr<const FeatureDrilldown>> r) {
            Q_ASSERT(QThread::currentThread() == thread());
            if (!r) {
                m_panelTitle->setText(tr("Could not compute the drill-down: %1")
                                          .arg(QString::fromStdString(r.error().message).toHtmlEscaped()));
                emit drilldownFailed(QString::fromStdString(r.error().message));
                return;
            }
            showDrilldown(std::move(r.value()));
        });
}

void DriftView::showDrilldown(std::shared_ptr<const FeatureDrilldown> drilldown)
{
    m_drilldown = std::move(drilldown);
    if (!m_drilldown || !m_result)
        return;
    const FeatureDrilldown& d = *m_drilldown;
    const QString feature = QString::fromStdString(d.feature);
    m_heatmap->setSelectedCell(feature, static_cast<int>(d.window));
    m_panelTitle->setText(
        tr("<b>%1</b> (%2) · window %3 – %4 · %5 · reference %6 → %7")
            .arg(feature.toHtmlEscaped(), d.categorical ? tr("categorical") : tr("numeric"),
                 formatUtc(d.windowStartMs), formatUtc(d.windowEndMs),
                 d.statistics.drifted ? QStringLiteral("<b style=\"color:#B00000\">%1</b>").arg(tr("drifted"))
                                      : tr("no drift"),
                 formatUtc(d.reference.startMs), formatUtc(d.reference.endMs)));
    m_histogram->setDrilldown(m_drilldown);
    m_ecdf->setDrilldown(m_drilldown);
    m_ecdf->setVisible(!d.categorical);
    fillStatistics(d);
    refreshOverTime();
    m_panel->show();
    emit drilldownShown(feature, static_cast<int>(d.window));
}

void DriftView::fillStatistics(const FeatureDrilldown& d)
{
    const FeatureDrift& f = d.statistics;
    const std::pair<QString, std::optional<double>> rows[] = {
        {tr("KS D"), f.ksD},  {tr("KS p-value"), f.ksP},     {tr("Wasserstein-1"), f.wasserstein},
        {tr("PSI"), f.psi},   {tr("Jensen-Shannon"), f.js},  {tr("Hellinger"), f.hellinger},
        {tr("chi²"), f.chi2}, {tr("chi² p-value"), f.chi2P}, {tr("Missing share"), f.missingShare}};
    m_table->setRowCount(static_cast<int>(std::size(rows)) + 1);
    int r = 0;
    for (const auto& [name, value] : rows) {
        m_table->setItem(r, 0, new QTableWidgetItem(name));
        m_table->setItem(r, 1, new QTableWidgetItem(value ? formatValue(*value) : QStringLiteral("—")));
        ++r;
    }
    m_table->setItem(r, 0, new QTableWidgetItem(tr("Decision")));
    auto* decision = new QTableWidgetItem(f.drifted ? tr("drifted") : tr("no drift"));
    if (f.drifted)
        decision->setForeground(QColor(0xB0, 0x00, 0x00));
    m_table->setItem(r, 1, decision);
    m_table->resizeColumnToContents(0);
    m_table->resizeRowsToContents();
}

void DriftView::refreshOverTime()
{
    if (!m_drilldown || !m_result)
        return;
    const DriftStatistic s = statistic();
    m_overTime->setProperty("statistic", static_cast<int>(s));
    m_overTime->setData(featureStatisticSeries(m_result->snapshot, *m_drilldown, s), {},
                        static_cast<double>(m_result->snapshot.windowMs));
    m_overTime->setToolTip(tr("%1 of %2 per window; red = drifted windows")
                               .arg(QString::fromUtf8(driftStatisticLabel(s).data()),
                                    QString::fromStdString(m_drilldown->feature)));
}

bool DriftView::isShowingMessage() const
{
    return m_stack->currentWidget() == m_message;
}

QString DriftView::messageText() const
{
    return m_message->text();
}

bool DriftView::isDrilldownVisible() const
{
    return !m_panel->isHidden() && m_drilldown != nullptr;
}

} // namespace vigil
