#include "main_window.h"

#include "charts/chart_export.h"
#include "charts/time_range_sync.h"
#include "dialogs/mapping_dialog.h"
#include "dialogs/prom_query_dialog.h"
#include "engine/drift_stage.h"
#include "engine/follow_session.h"
#include "engine/window.h"
#include "follow/follow_labels_status.h"
#include "follow/follow_worker.h"
#include "format.h"
#include "ingest/label_summary.h"
#include "jobs/job_runner.h"
#include "live/prom_query_source.h"
#include "live/resource_feed.h"
#include "models/mapping_model.h"
#include "models/problems_model.h"
#include "views/drift_view.h"
#include "views/kpi_view.h"
#include "views/operations_view.h"
#include "views/performance_view.h"
#include "views/resources_view.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

// The resources live in this static library; without an explicit init the linker
// drops them. Q_INIT_RESOURCE must be used outside any namespace.
static void initVigilResources()
{
    Q_INIT_RESOURCE(vigil);
}

namespace vigil {

namespace {

constexpr int kMaxRecent = 10;

QSettings settings()
{
    return QSettings(QStringLiteral("Vigil"), QStringLiteral("vigil"));
}

std::vector<std::string> toStdPaths(const QStringList& paths)
{
    std::vector<std::string> out;
    for (const QString& p : paths)
        out.push_back(p.toStdString());
    return out;
}

} // namespace

MainWindow::MainWindow(VigilConfig config, QWidget* parent) : QMainWindow(parent), m_config(std::move(config))
{
    initVigilResources();
    setWindowTitle(QStringLiteral("Vigil"));
    setWindowIcon(QIcon(QStringLiteral(":/vigil/icons/vigil.svg")));
    setAcceptDrops(true);
    resize(1400, 900);

    m_jobs = new JobRunner(this);
    m_driftJobs = new JobRunner(this);
    m_sync = new TimeRangeSync(this);

    TimeSeriesChart::warmUpCaches();
    m_performance = new PerformanceView;
    m_operations = new OperationsView;
    m_kpi = new KpiView;
    for (ChartGridView* view : std::initializer_list<ChartGridView*>{m_performance, m_operations, m_kpi})
        view->setStagedReveal(true);
    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_performance, tr("Performance"));
    m_tabs->addTab(m_operations, tr("Operations"));
    m_tabs->addTab(m_kpi, tr("Business KPIs"));
    m_drift = new DriftView;
    m_drift->setSync(m_sync);
    m_tabs->addTab(m_drift, tr("Drift"));
    m_resources = new ResourcesView;
    m_resources->setSync(m_sync);
    m_tabs->addTab(m_resources, tr("Resources"));
    m_feed = new ResourceFeed(this);
    connect(m_feed, &ResourceFeed::updated, this, &MainWindow::onResourcesUpdated);
    connect(m_feed, &ResourceFeed::failed, this,
            [this](const QString& message) { showBanner(message, true); });
    connect(m_resources, &ResourcesView::browseRequested, m_feed, &ResourceFeed::setBrowseKey);
    connect(m_resources, &ResourcesView::chartWidthChanged, m_feed, &ResourceFeed::setChartWidth);
    m_prom = new PromQuerySource(this);
    connect(m_prom, &PromQuerySource::finished, this,
            [this](std::shared_ptr<const ResourceFrames> frames, const QString& text) {
                m_feed->setQuery(std::move(frames), text);
                // A query that works again makes the last query's error stale.
                if (m_bannerFromQuery)
                    m_bannerFrame->hide();
            });
    connect(m_prom, &PromQuerySource::failed, this, [this](const QString& message) {
        showBanner(tr("Prometheus query failed: %1").arg(message), true);
        m_bannerFromQuery = true;
    });
    // The local sampler costs a little CPU: it starts when someone looks at the view.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_resources && m_sampleLocal && !m_sampleLocal->isChecked())
            m_sampleLocal->setChecked(true);
        // A view hidden during live updates gets the newest result when it is shown.
        if (ChartGridView* view = currentView(); view && m_staleViews.removeOne(view) && m_result)
            view->setResult(m_result);
    });
    for (ChartGridView* view :
         {static_cast<ChartGridView*>(m_performance), static_cast<ChartGridView*>(m_operations),
          static_cast<ChartGridView*>(m_kpi)})
        view->setSync(m_sync);

    m_bannerFrame = new QWidget;
    m_banner = new QLabel;
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* closeBanner = new QToolButton;
    closeBanner->setText(QStringLiteral("✕"));
    closeBanner->setAutoRaise(true);
    connect(closeBanner, &QToolButton::clicked, m_bannerFrame, &QWidget::hide);
    auto* bannerLayout = new QHBoxLayout(m_bannerFrame);
    bannerLayout->setContentsMargins(10, 6, 6, 6);
    bannerLayout->addWidget(m_banner, 1);
    bannerLayout->addWidget(closeBanner);
    m_bannerFrame->hide();

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_bannerFrame);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    buildActions();
    buildDocks();
    buildStatusBar();

    connect(m_jobs, &JobRunner::started, this, [this](const QString& description) {
        m_stage->setText(description);
        onBusyChanged(true);
    });
    connect(m_jobs, &JobRunner::progress, this, [this](double fraction, const QString& stage) {
        m_progress->setValue(static_cast<int>(fraction * 1000));
        m_stage->setText(stage);
    });
    connect(m_jobs, &JobRunner::finished, this, &MainWindow::showResult);
    connect(m_jobs, &JobRunner::failed, this, &MainWindow::onFailed);
    connect(m_driftJobs, &JobRunner::started, this, [this](const QString& description) {
        m_drift->setPendingText(description);
        if (!m_jobs->isBusy())
            m_stage->setText(description);
    });
    connect(m_driftJobs, &JobRunner::progress, this, [this](double fraction, const QString&) {
        if (!m_jobs->isBusy())
            m_stage->setText(tr("Computing drift… %1 %").arg(static_cast<int>(fraction * 100)));
    });
    connect(m_driftJobs, &JobRunner::finished, this,
            [this](std::shared_ptr<const AnalysisResult> result, const QStringList&) {
                onDriftFinished(result);
            });
    connect(m_driftJobs, &JobRunner::failed, this, [this](const QString& message) {
        m_drift->setPendingText(tr("Drift could not be computed: %1").arg(message));
        if (!m_jobs->isBusy())
            m_stage->clear();
    });
    connect(m_jobs, &JobRunner::cancelled, this, [this] {
        onBusyChanged(false);
        m_stage->setText(tr("Cancelled"));
    });

    m_follower = new FollowWorker(this);
    connect(m_follower, &FollowWorker::updated, this, &MainWindow::onFollowUpdate);
    connect(m_follower, &FollowWorker::failed, this, &MainWindow::onFailed);
    // Views filled: the follower may publish the next result (coalesced, never queued).
    connect(this, &MainWindow::analysisFinished, m_follower, &FollowWorker::acknowledge);
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open with &config…"), this, &MainWindow::openWithConfig);
    file->addAction(tr("Open &labels…"), this, &MainWindow::openLabels);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    QAction* reloadAction = file->addAction(tr("&Reload"), this, &MainWindow::reload);
    reloadAction->setShortcut(QKeySequence::Refresh);
    file->addSeparator();
    QAction* exportView = file->addAction(tr("&Export current view…"), this, &MainWindow::exportCurrentView);
    exportView->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* analysis = menuBar()->addMenu(tr("&Analysis"));
    QAction* mapping = analysis->addAction(tr("Edit &mapping…"), this, &MainWindow::editMapping);
    mapping->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    QAction* follow = analysis->addAction(tr("&Follow growing files"));
    follow->setCheckable(true);
    follow->setChecked(m_follow);
    m_followAction = follow;
    connect(follow, &QAction::toggled, this, &MainWindow::setFollowMode);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* reset = view->addAction(tr("Reset &zoom"), m_sync, &TimeRangeSync::reset);
    reset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    for (int i = 0; i < m_tabs->count(); ++i) {
        QAction* tab = view->addAction(m_tabs->tabText(i), this, [this, i] { m_tabs->setCurrentIndex(i); });
        tab->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }
    view->addSeparator();
    m_viewMenuDocksAnchor = view;

    QMenu* resources = menuBar()->addMenu(tr("&Resources"));
    resources->addAction(tr("Add metrics &endpoint…"), this, &MainWindow::addEndpointDialog);
    resources->addAction(tr("&Query Prometheus…"), this, &MainWindow::queryPrometheusDialog);
    m_sampleLocal = resources->addAction(tr("Sample &this machine"));
    m_sampleLocal->setCheckable(true);
    connect(m_sampleLocal, &QAction::toggled, m_feed, &ResourceFeed::setLocalSampling);

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->addAction(open);
    bar->addAction(reloadAction);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr(" Window: ")));
    m_windowSize = new QComboBox;
    m_windowSize->addItem(tr("Auto"), QVariant());
    for (std::int64_t ms : kWindowSizesMs)
        m_windowSize->addItem(QString::fromStdString(formatWindowSize(ms)), QVariant::fromValue<qint64>(ms));
    m_windowSize->setToolTip(tr("Window size: re-analyzes the loaded log without reading it again"));
    if (m_config.windowMs) {
        const int index = m_windowSize->findData(QVariant::fromValue<qint64>(*m_config.windowMs));
        if (index >= 0)
            m_windowSize->setCurrentIndex(index);
    }
    connect(m_windowSize, &QComboBox::activated, this, &MainWindow::onWindowSizeChosen);
    bar->addWidget(m_windowSize);
    bar->addSeparator();
    bar->addAction(reset);
    bar->addAction(follow);
    bar->addAction(mapping);
    bar->addAction(exportView);
}

void MainWindow::buildDocks()
{
    m_problems = new ProblemsModel(this);
    auto* problemsTable = new QTableView;
    problemsTable->setModel(m_problems);
    problemsTable->horizontalHeader()->setStretchLastSection(true);
    problemsTable->verticalHeader()->hide();
    problemsTable->setAlternatingRowColors(true);
    problemsTable->setWordWrap(false);
    connect(m_problems, &QAbstractItemModel::modelReset, problemsTable, [problemsTable] {
        problemsTable->resizeColumnToContents(ProblemsModel::File);
        problemsTable->resizeColumnToContents(ProblemsModel::Line);
    });
    auto* problemsDock = new QDockWidget(tr("Problems"), this);
    problemsDock->setObjectName(QStringLiteral("problemsDock"));
    problemsDock->setWidget(problemsTable);

    m_mapping = new MappingModel(this);
    auto* mappingTable = new QTableView;
    mappingTable->setModel(m_mapping);
    mappingTable->horizontalHeader()->setStretchLastSection(true);
    mappingTable->verticalHeader()->hide();
    mappingTable->setAlternatingRowColors(true);
    mappingTable->setWordWrap(false);
    connect(m_mapping, &QAbstractItemModel::modelReset, mappingTable,
            [mappingTable] { mappingTable->resizeColumnsToContents(); });
    m_mappingSummary = new QLabel;
    m_mappingSummary->setWordWrap(true);
    auto* edit = new QPushButton(tr("Edit mapping…"));
    connect(edit, &QPushButton::clicked, this, &MainWindow::editMapping);
    auto* head = new QHBoxLayout;
    head->addWidget(m_mappingSummary, 1);
    head->addWidget(edit);
    auto* mappingHost = new QWidget;
    auto* mappingLayout = new QVBoxLayout(mappingHost);
    mappingLayout->setContentsMargins(4, 4, 4, 4);
    mappingLayout->addLayout(head);
    mappingLayout->addWidget(mappingTable, 1);
    auto* mappingDock = new QDockWidget(tr("Mapping (inferred fields)"), this);
    mappingDock->setObjectName(QStringLiteral("mappingDock"));
    mappingDock->setWidget(mappingHost);

    addDockWidget(Qt::BottomDockWidgetArea, mappingDock);
    addDockWidget(Qt::BottomDockWidgetArea, problemsDock);
    splitDockWidget(mappingDock, problemsDock, Qt::Horizontal);
    resizeDocks({mappingDock}, {190}, Qt::Vertical);
    m_viewMenuDocksAnchor->addAction(mappingDock->toggleViewAction());
    m_viewMenuDocksAnchor->addAction(problemsDock->toggleViewAction());
}

void MainWindow::buildStatusBar()
{
    m_stats = new QLabel;
    m_stage = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(false);
    m_cancel = new QToolButton;
    m_cancel->setText(tr("Cancel"));
    connect(m_cancel, &QToolButton::clicked, m_jobs, &JobRunner::cancel);
    statusBar()->addWidget(m_stats, 1);
    statusBar()->addPermanentWidget(m_stage);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    onBusyChanged(false);
}

void MainWindow::openPaths(const QStringList& paths)
{
    if (paths.isEmpty())
        return;
    m_paths.clear();
    for (const QString& p : paths)
        m_paths << QFileInfo(p).absoluteFilePath();
    addRecent(m_paths);
    QStringList names;
    for (const QString& p : m_paths)
        names << QFileInfo(p).fileName();
    setWindowTitle(tr("Vigil — %1").arg(names.join(QStringLiteral(", "))));
    m_result.reset();
    if (m_follow)
        startFollow();
    else
        startLoad();
}

void MainWindow::reload()
{
    if (m_paths.isEmpty())
        return;
    if (m_follow)
        startFollow();
    else
        startLoad();
}

void MainWindow::startLoad()
{
    VigilConfig config = m_config;
    if (const QVariant chosen = m_windowSize->currentData(); chosen.isValid())
        config.windowMs = chosen.value<qint64>();
    m_sinceLastRun.start();
    m_driftJobs->cancel();
    const std::vector<std::string> paths = toStdPaths(m_paths);
    m_jobs->start(
        [paths, config](std::stop_token stop, const ProgressFn& progress) {
            return runPipeline(paths, config, stop, progress);
        },
        tr("Loading…"));
}

void MainWindow::setWindowSize(std::optional<std::int64_t> windowMs)
{
    const int index = windowMs ? m_windowSize->findData(QVariant::fromValue<qint64>(*windowMs)) : 0;
    m_windowSize->setCurrentIndex(std::max(0, index));
    if (m_follower->isRunning()) {
        m_config.windowMs = windowMs;
        startFollow(); // the live windows are rebuilt from the files
        return;
    }
    if (!m_result || !m_result->log) {
        m_config.windowMs = windowMs;
        return;
    }
    AnalysisOptions options = m_result->options;
    options.windowMs = windowMs;
    std::shared_ptr<const LoadedLog> log = m_result->log;
    m_sinceLastRun.start();
    m_driftJobs->cancel();
    m_jobs->start(
        [log, options](std::stop_token stop, const ProgressFn& progress) {
            return reanalyze(log, options, stop, progress);
        },
        tr("Re-windowing…"));
}

void MainWindow::onWindowSizeChosen(int index)
{
    const QVariant data = m_windowSize->itemData(index);
    setWindowSize(data.isValid() ? std::optional<std::int64_t>(data.value<qint64>()) : std::nullopt);
}

void MainWindow::showResult(std::shared_ptr<const AnalysisResult> result, const QStringList& warnings)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (!result)
        return;
    QElapsedTimer timer;
    timer.start();
    if (!m_jobs->isBusy())
        onBusyChanged(false);
    m_stage->clear();
    // A live update of the same follow session: schema and mapping are fixed, and the
    // problem list changes only with new malformed lines; the docks are left alone.
    const bool liveUpdate = result->follow && m_result && m_result->follow && m_result->log && result->log &&
                            m_result->log->paths == result->log->paths;
    const bool sameProblems = liveUpdate && m_result->log->malformed == result->log->malformed &&
                              m_result->log->problems.size() == result->log->problems.size();
    m_result = std::move(result);
    const AnalysisSnapshot& snap = m_result->snapshot;
    updateDataRange();
    if (m_result->log && !sameProblems)
        m_problems->setLog(m_result->log);
    else if (m_result->log)
        m_problems->keepRows(m_result->log); // the same rows: no reset, but no old table held either
    if (m_result->log && !liveUpdate) {
        m_mapping->setSchema(m_result->log->schema);
        const InferredSchema& schema = m_result->log->schema;
        m_mappingSummary->setText(tr("Format %1 · prediction %2 · threshold %3 · %4 rows sampled")
                                      .arg(QString::fromLatin1(toString(schema.format)),
                                           QString::fromLatin1(toString(snap.predictionKind)))
                                      .arg(snap.threshold)
                                      .arg(schema.sampledRows));
    }
    QStringList all = warnings;
    for (const std::string& w : m_result->warnings)
        if (!all.contains(QString::fromStdString(w)))
            all << QString::fromStdString(w);
    if (!all.isEmpty())
        showBanner(tr("Warnings: ") + all.join(QStringLiteral(" · ")), false);
    else
        m_bannerFrame->hide();
    updateStatus();

    // Deliver in stages: summary and docks above, then the visible view, then each hidden
    // view on a later turn of the event loop, so no single turn builds every chart.
    // While following, results come every 250 ms: a drift job per result would be
    // cancelled by the next one before it finishes, and compete with the follower.
    const bool following = m_result->follow && m_follower->isRunning();
    if (!snap.drift)
        m_drift->setPendingText(following ? tr("Drift is not computed while following; turn following off to "
                                               "compute it.")
                                          : tr("Computing drift…"));
    m_drift->setResult(m_result); // shows "Computing drift…" until the drift stage delivers
    if (!snap.drift && !following)
        startDrift();
    QList<ChartGridView*> pending;
    if (ChartGridView* current = currentView()) // null on the Drift and Resources tabs
        pending.append(current);
    // A live update (every 250 ms) goes to the visible view only; the hidden ones are
    // brought up to date when their tab is shown.
    m_staleViews.clear();
    for (ChartGridView* view :
         {static_cast<ChartGridView*>(m_performance), static_cast<ChartGridView*>(m_operations),
          static_cast<ChartGridView*>(m_kpi)})
        if (!pending.contains(view))
            (liveUpdate && following ? m_staleViews : pending).append(view);
    m_delivering = m_result.get();
    m_updateTimesMs.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    deliverToViews(m_result, pending);
}

void MainWindow::deliverToViews(const std::shared_ptr<const AnalysisResult>& result,
                                QList<ChartGridView*> pending)
{
    // A newer result took over and delivers (and announces) itself. The drift stage does not
    // count as newer: it replaces m_result by the same analysis plus drift, and the views still
    // pending get that.
    if (!m_result || result->log != m_result->log ||
        result->snapshot.windowMs != m_result->snapshot.windowMs ||
        result->snapshot.windows.size() != m_result->snapshot.windows.size() || m_delivering != result.get())
        return;
    if (pending.isEmpty()) {
        emit analysisFinished();
        return;
    }
    pending.takeFirst()->setResult(m_result);
    // A real (1 ms) timer, not a zero one: Qt runs zero-timers as posted events back to
    // back, which would glue the stages together again.
    QTimer::singleShot(1, this, [this, result, pending] { deliverToViews(result, pending); });
}

void MainWindow::startDrift()
{
    if (!m_result || !m_result->log || m_result->snapshot.windows.empty())
        return;
    auto result = m_result;
    m_driftJobs->start([result](std::stop_token stop,
                                const ProgressFn&) { return withDrift(result, result->options.drift, stop); },
                       tr("Computing drift…"));
}

void MainWindow::onDriftFinished(std::shared_ptr<const AnalysisResult> result)
{
    Q_ASSERT(QThread::currentThread() == thread());
    // Drift of an older result (the log was reloaded meanwhile) is not drawn.
    if (!result || !m_result || result->log != m_result->log ||
        result->snapshot.windowMs != m_result->snapshot.windowMs)
        return;
    if (!m_jobs->isBusy())
        m_stage->clear();
    m_result = std::move(result);
    m_drift->setResult(m_result);
    m_performance->setResult(m_result); // concept-drift events, multivariate drift, CBPE
    emit driftFinished();
}

void MainWindow::onFailed(const QString& message)
{
    onBusyChanged(false);
    m_stage->clear();
    showBanner(tr("Could not analyze %1: %2").arg(m_paths.join(QStringLiteral(", ")), message), true);
    emit analysisFailed(message);
}

void MainWindow::onBusyChanged(bool busy)
{
    m_progress->setVisible(busy);
    m_cancel->setVisible(busy);
    if (busy)
        m_progress->setValue(0);
}

void MainWindow::showBanner(const QString& text, bool error)
{
    m_bannerFromQuery = false;
    m_banner->setText(text);
    m_bannerFrame->setStyleSheet(error ? QStringLiteral("background:#FDE2E1; color:#7A1010;")
                                       : QStringLiteral("background:#FFF4D6; color:#5C4400;"));
    m_bannerFrame->show();
}

QString MainWindow::bannerText() const
{
    return m_bannerFrame->isHidden() ? QString() : m_banner->text();
}

QString MainWindow::statusText() const
{
    return m_stats->text();
}

void MainWindow::updateStatus()
{
    if (!m_result || !m_result->log) {
        m_stats->setText(tr("No log loaded — File ▸ Open… or drop a .jsonl/.csv file here"));
        return;
    }
    const LoadedLog& log = *m_result->log;
    const double seconds = std::max(log.seconds, 1e-6);
    if (m_result->follow && m_follower->isRunning()) {
        const FollowInfo& f = *m_result->follow;
        QString text = tr("%1 rows · %2 malformed · following · %3 rows/s")
                           .arg(formatCount(log.table.rows()), formatCount(log.malformed),
                                formatCount(static_cast<std::uint64_t>(m_followRate)));
        if (f.renameRotations + f.truncateRotations > 0)
            text += tr(" · %1 rotations").arg(f.renameRotations + f.truncateRotations);
        text += tr(" · window %1%2 · %3 windows")
                    .arg(QString::fromStdString(formatWindowSize(m_result->snapshot.windowMs)),
                         m_result->options.windowMs ? QString() : tr(" (auto)"))
                    .arg(m_result->snapshot.windows.size());
        text += followLabelsStatus(*m_result);
        m_stats->setText(text);
        return;
    }
    QString text =
        tr("%1 rows · %2 malformed · %3 in %4 s (%5 MB/s, %6 rows/s)")
            .arg(formatCount(log.table.rows()), formatCount(log.malformed), formatBytes(log.bytes))
            .arg(log.seconds, 0, 'f', 2)
            .arg(static_cast<double>(log.bytes) / 1e6 / seconds, 0, 'f', 1)
            .arg(formatCount(static_cast<std::uint64_t>(static_cast<double>(log.table.rows()) / seconds)));
    text += tr(" · window %1%2 · %3 windows")
                .arg(QString::fromStdString(formatWindowSize(m_result->snapshot.windowMs)),
                     m_result->options.windowMs ? QString() : tr(" (auto)"))
                .arg(m_result->snapshot.windows.size());
    if (const auto& labels = log.labels) {
        text += tr(" · %1 predictions labelled from %2 (%3 labels matched nothing)")
                    .arg(formatCount(labels->predictionsLabelled),
                         QFileInfo(QString::fromStdString(labels->source)).fileName(),
                         formatCount(labels->unmatchedLabels));
    }
    m_stats->setText(text);
}

void MainWindow::setLabelsPath(const QString& path)
{
    if (path.isEmpty()) {
        m_config.labels.reset();
    } else {
        if (!m_config.labels)
            m_config.labels.emplace();
        m_config.labels->path = QFileInfo(path).absoluteFilePath().toStdString();
    }
    reload();
}

void MainWindow::openLabels()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open labels"), QString(),
        tr("Labels: request_id, label, ts (*.jsonl *.json *.ndjson *.csv *.gz *.zst);;All files (*)"));
    if (path.isEmpty())
        return;
    setLabelsPath(path);
    if (m_paths.isEmpty())
        showBanner(tr("Labels %1 will be joined to the log you open next.").arg(QFileInfo(path).fileName()),
                   false);
}

void MainWindow::openDialog()
{
    const QStringList paths =
        QFileDialog::getOpenFileNames(this, tr("Open prediction log"), QString(),
                                      tr("Prediction logs (*.jsonl *.json *.ndjson *.csv *.log *.gz *.zst);;"
                                         "JSON Lines (*.jsonl *.ndjson);;CSV (*.csv);;"
                                         "Compressed (*.gz *.zst);;All files (*)"));
    openPaths(paths);
}

void MainWindow::openWithConfig()
{
    const QString configPath = QFileDialog::getOpenFileName(this, tr("Open config"), QString(),
                                                            tr("Vigil config (*.json);;All files (*)"));
    if (configPath.isEmpty())
        return;
    Result<VigilConfig> config = loadConfigFile(configPath.toStdString());
    if (!config) {
        showBanner(tr("Config %1: %2").arg(configPath, QString::fromStdString(config.error().message)), true);
        return;
    }
    m_config = std::move(config).value();
    if (m_paths.isEmpty())
        openDialog();
    else
        reload();
}

void MainWindow::editMapping()
{
    if (!m_result || !m_result->log) {
        QMessageBox::information(this, tr("Mapping"),
                                 tr("Open a log first: the mapping is inferred from it."));
        return;
    }
    MappingDialog dialog(m_result->log->schema, m_config, m_result->snapshot.threshold, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_config = dialog.config();
    reload();
}

ChartGridView* MainWindow::currentView() const
{
    return qobject_cast<ChartGridView*>(m_tabs->currentWidget());
}

void MainWindow::exportCurrentView()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export view"), QStringLiteral("vigil-view.png"),
                                     tr("PNG image (*.png);;SVG (*.svg);;PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportWidget(m_tabs->currentWidget(), path, 2.0, &error, m_tabs->tabText(m_tabs->currentIndex())))
        QMessageBox::warning(this, tr("Export failed"), error);
}

void MainWindow::setFollowMode(bool on)
{
    if (on == m_follow)
        return;
    m_follow = on;
    if (m_followAction) {
        const QSignalBlocker blocker(m_followAction);
        m_followAction->setChecked(on);
    }
    if (on && !m_paths.isEmpty())
        startFollow();
    if (!on) {
        m_follower->stop();
        m_followRate = 0.0;
    }
    updateStatus();
}

void MainWindow::startFollow()
{
    VigilConfig config = m_config;
    if (const QVariant chosen = m_windowSize->currentData(); chosen.isValid())
        config.windowMs = chosen.value<qint64>();
    for (const QString& p : m_paths) {
        // A glob is expanded by the follower, which reports one that matches nothing.
        if (!QFileInfo::exists(p) && !p.contains(QRegularExpression(QStringLiteral("[*?[]")))) {
            m_follower->stop();
            onFailed(tr("%1: no such file").arg(p));
            return;
        }
    }
    m_jobs->cancel(); // a one-shot load would only be replaced by the live result
    m_followRate = 0.0;
    m_sinceLastRun.start();
    m_follower->setLabelSource(config.labels);
    m_follower->start(toStdPaths(m_paths), loadOptionsFrom(config), analysisOptionsFrom(config));
    m_stage->setText(tr("Following…"));
}

void MainWindow::onFollowUpdate(std::shared_ptr<const AnalysisResult> result, double rowsPerSecond)
{
    m_followRate = rowsPerSecond;
    showResult(std::move(result));
}

void MainWindow::addRecent(const QStringList& paths)
{
    QSettings s = settings();
    QStringList recent = s.value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& p : paths) {
        recent.removeAll(p);
        recent.prepend(p);
    }
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    s.setValue(QStringLiteral("recentFiles"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = settings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& p : recent)
        m_recentMenu->addAction(p, this, [this, p] { openPaths({p}); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (std::any_of(urls.begin(), urls.end(), [](const QUrl& u) { return u.isLocalFile(); }))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    openPaths(paths);
    event->acceptProposedAction();
}

void MainWindow::addScrapeEndpoints(const QStringList& urls, std::chrono::milliseconds interval)
{
    m_feed->setScrapeInterval(interval);
    for (const QString& url : urls)
        m_feed->addEndpoint(url);
    m_resources->setSourceText(m_feed->describeSources());
}

void MainWindow::showResourcesTab()
{
    m_tabs->setCurrentWidget(m_resources);
}

void MainWindow::addEndpointDialog()
{
    bool ok = false;
    const QString url =
        QInputDialog::getText(this, tr("Add metrics endpoint"),
                              tr("Prometheus / OpenMetrics URL (e.g. http://localhost:9100/metrics):"),
                              QLineEdit::Normal, QStringLiteral("http://localhost:9100/metrics"), &ok)
            .trimmed();
    if (!ok || url.isEmpty())
        return;
    if (!url.startsWith(QLatin1String("http://")) && !url.startsWith(QLatin1String("https://"))) {
        showBanner(tr("Not an http:// or https:// URL: %1").arg(url), true);
        return;
    }
    m_feed->addEndpoint(url);
    m_resources->setSourceText(m_feed->describeSources());
}

void MainWindow::queryPrometheusDialog()
{
    PromQueryDialog dialog(m_prom, this);
    if (!m_promUrl.isEmpty())
        dialog.setUrl(m_promUrl);
    dialog.setPromql(m_promQuery);
    dialog.setTokenEnv(m_promTokenEnv);
    dialog.fetchMetricNames();
    if (dialog.exec() != QDialog::Accepted)
        return;
    runPrometheusQuery(dialog.url(), dialog.promql(), dialog.tokenEnv());
}

void MainWindow::runPrometheusQuery(const QString& url, const QString& promql, const QString& tokenEnv)
{
    m_promUrl = url;
    m_promQuery = promql;
    m_promTokenEnv = tokenEnv;
    PromQuerySpec spec{url, promql, tokenEnv};
    if (m_sync->max() > m_sync->min()) {
        spec.startMs = static_cast<std::int64_t>(m_sync->min());
        spec.endMs = static_cast<std::int64_t>(m_sync->max());
    } else {
        spec.endMs = QDateTime::currentMSecsSinceEpoch();
        spec.startMs = spec.endMs - 3'600'000;
    }
    spec.widthPx = std::max(m_resources->chartWidthPx(), 50);
    m_prom->run(spec);
    showResourcesTab();
}

void MainWindow::onResourcesUpdated(const std::shared_ptr<const ResourceViewData>& data)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_resources->setSourceText(m_feed->describeSources());
    m_resources->setData(data);
    // Only scraped endpoints feed the Operations view: it compares a server with its log.
    m_operations->setEndpointData(m_feed->endpointUrls().isEmpty() ? nullptr : data);
    m_resourceRange = {data->minMs, data->maxMs};
    updateDataRange();
}

// The shared time axis spans the log's windows and the resource samples together, so
// log-based and endpoint-based charts line up.
void MainWindow::updateDataRange()
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    if (m_result && !m_result->snapshot.windows.empty()) {
        lo = static_cast<double>(m_result->snapshot.windows.front().startMs);
        hi = static_cast<double>(m_result->snapshot.windows.back().endMs);
    }
    if (m_resourceRange.second > m_resourceRange.first) {
        lo = std::min(lo, m_resourceRange.first);
        hi = std::max(hi, m_resourceRange.second);
    }
    if (hi > lo)
        m_sync->setDataRange(lo, hi);
}

} // namespace vigil
