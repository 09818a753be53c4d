#pragma once
// The main window wires things together: it starts jobs, hands their snapshots to
// the views and models, and keeps the status bar honest. It owns no data loops.
#include "config/config.h"
#include "engine/pipeline.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QList>
#include <QMainWindow>
#include <QStringList>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;
class QTimer;
class QToolButton;

namespace vigil {

class ChartGridView;
class DriftView;
class FollowWorker;
class JobRunner;
class KpiView;
class MappingModel;
class OperationsView;
class PerformanceView;
class ProblemsModel;
class ResourceFeed;
class PromQuerySource;
class ResourcesView;
struct ResourceViewData;
class TimeRangeSync;

class MainWindow : public QMainWindow
{
    Q_OBJECT
  public:
    explicit MainWindow(VigilConfig config = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    void openPaths(const QStringList& paths);
    void setFollowMode(bool on);
    bool followMode() const { return m_follow; }
    std::shared_ptr<const AnalysisResult> currentResult() const { return m_result; }

    // Shows an already computed result, as if a job had just delivered it (used on
    // every job result; also lets a caller hand over a result computed elsewhere).
    void showResult(std::shared_ptr<const AnalysisResult> result, const QStringList& warnings = {});

    // Joins a late-label file (request_id, label, ts) to the log and reloads; "" drops it.
    // File ▸ Open labels… does the same.
    void setLabelsPath(const QString& path);

    // Re-windows the loaded log (nullopt = automatic size); the selector does the same.
    void setWindowSize(std::optional<std::int64_t> windowMs);

    // Metrics endpoints to scrape for the Resources and Operations views (--scrape URL).
    void addScrapeEndpoints(const QStringList& urls, std::chrono::milliseconds interval);
    // A Prometheus range query drawn in the Resources view (--prometheus/--query and
    // Resources ▸ Query Prometheus…): over the charts' visible range (the last hour when
    // nothing is shown), with a step from the chart width. tokenEnv names the environment
    // variable with a bearer token. Errors show in the banner as Prometheus words them.
    void runPrometheusQuery(const QString& url, const QString& promql, const QString& tokenEnv = {});
    PromQuerySource* promQuerySource() const { return m_prom; }

    // For tests and the snapshot tooling.
    PerformanceView* performanceView() const { return m_performance; }
    OperationsView* operationsView() const { return m_operations; }
    KpiView* kpiView() const { return m_kpi; }
    ResourcesView* resourcesView() const { return m_resources; }
    ResourceFeed* resourceFeed() const { return m_feed; }
    void showResourcesTab();
    DriftView* driftView() const { return m_drift; }
    JobRunner* driftJobRunner() const { return m_driftJobs; }
    ProblemsModel* problemsModel() const { return m_problems; }
    MappingModel* mappingModel() const { return m_mapping; }
    TimeRangeSync* timeRangeSync() const { return m_sync; }
    JobRunner* jobRunner() const { return m_jobs; }
    FollowWorker* followWorker() const { return m_follower; }
    QString bannerText() const;
    // UI-thread wall time of each showResult before the views (status, docks, drift
    // message), in ms; the views time their own setResult (ChartGridView::updateTimesMs).
    const std::vector<double>& updateTimesMs() const { return m_updateTimesMs; }
    QString statusText() const;

  signals:
    // Emitted once every view holds the new result (views are filled in stages).
    void analysisFinished();
    void analysisFailed(const QString& message);
    // Emitted when the background drift stage has filled the Drift view.
    void driftFinished();

  protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

  private:
    void buildActions();
    void buildDocks();
    void buildStatusBar();
    void openDialog();
    void openWithConfig();
    void openLabels();
    void editMapping();
    void exportCurrentView();
    void reload();
    void startLoad();
    void onWindowSizeChosen(int index);
    void deliverToViews(const std::shared_ptr<const AnalysisResult>& result, QList<ChartGridView*> pending);
    void onFailed(const QString& message);
    void startDrift();
    void onDriftFinished(std::shared_ptr<const AnalysisResult> result);
    void onBusyChanged(bool busy);
    void startFollow();
    void onFollowUpdate(std::shared_ptr<const AnalysisResult> result, double rowsPerSecond);
    void showBanner(const QString& text, bool error);
    void addRecent(const QStringList& paths);
    void rebuildRecentMenu();
    void updateStatus();
    ChartGridView* currentView() const;
    void addEndpointDialog();
    void queryPrometheusDialog();
    void onResourcesUpdated(const std::shared_ptr<const ResourceViewData>& data);
    void updateDataRange();

    VigilConfig m_config;
    QStringList m_paths;
    std::shared_ptr<const AnalysisResult> m_result;
    const AnalysisResult* m_delivering = nullptr; // the result whose staged delivery runs (identity only)

    JobRunner* m_jobs = nullptr;
    TimeRangeSync* m_sync = nullptr;
    QTabWidget* m_tabs = nullptr;
    PerformanceView* m_performance = nullptr;
    OperationsView* m_operations = nullptr;
    KpiView* m_kpi = nullptr;
    ResourcesView* m_resources = nullptr;
    ResourceFeed* m_feed = nullptr;
    PromQuerySource* m_prom = nullptr;
    QString m_promUrl;
    QString m_promQuery;
    bool m_bannerFromQuery = false; // the banner shows a Prometheus query error
    QString m_promTokenEnv;
    QAction* m_sampleLocal = nullptr;
    std::pair<double, double> m_resourceRange{0.0, 0.0};
    DriftView* m_drift = nullptr;
    JobRunner* m_driftJobs = nullptr; // drift runs as a second stage, after the metrics are shown
    ProblemsModel* m_problems = nullptr;
    MappingModel* m_mapping = nullptr;
    QLabel* m_mappingSummary = nullptr;

    QLabel* m_banner = nullptr;
    QWidget* m_bannerFrame = nullptr;
    QLabel* m_stats = nullptr;
    QLabel* m_stage = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancel = nullptr;
    QComboBox* m_windowSize = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenuDocksAnchor = nullptr;

    bool m_follow = false;
    FollowWorker* m_follower = nullptr; // live tailing (docs/FOLLOW.md)
    QAction* m_followAction = nullptr;
    double m_followRate = 0.0;
    QElapsedTimer m_sinceLastRun;
    QList<ChartGridView*> m_staleViews; // hidden views that missed live updates
    std::vector<double> m_updateTimesMs;
};

} // namespace vigil
