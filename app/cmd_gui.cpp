// The dashboard itself, and --probe-stalls: load a log in the GUI (offscreen) and print
// the event loop's longest stall while it loads and draws.
#include "cli_common.h"

#include "duration_arg.h"

#include "main_window.h"
#include "stall_probe.h"
#include "views/kpi_view.h"
#include "views/operations_view.h"
#include "views/performance_view.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTabWidget>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

namespace vigil::cli {

namespace {

// After the result is drawn, keep probing a little so deferred layout/paint counts too.
constexpr int kSettleMs = 1500;
constexpr int kProbeTimeoutMs = 600'000;

// "what: 12 updates, median 3.1 ms, p90 4.0 ms, max 5.2 ms"
void printTimes(const char* what, std::vector<double> ms)
{
    if (ms.empty()) {
        std::fprintf(stdout, "%s: no updates\n", what);
        return;
    }
    std::sort(ms.begin(), ms.end());
    std::fprintf(stdout, "%s: %zu updates, median %.1f ms, p90 %.1f ms, max %.1f ms\n", what, ms.size(),
                 ms[ms.size() / 2], ms[ms.size() * 9 / 10], ms.back());
}

// --follow --probe-stalls: follow until the logs have been idle for `idleExitS`, then
// print the longest stall and how far the charts lagged behind the newest row
// (wall clock at the moment the views held a result, minus its last row timestamp,
// which live writers stamp with the wall clock). No result is published once the
// rows stop, so the idle wait adds nothing to the lag.
int probeFollow(MainWindow& window, const QStringList& logs, double idleExitS)
{
    StallProbe probe;
    StallProbe steady;
    QElapsedTimer clock;
    QElapsedTimer sinceNewRows;
    std::vector<qint64> lags;
    std::vector<double> workerMs;
    std::vector<double> publishMs;
    std::uint64_t rowsSeen = 0;
    QObject::connect(&window, &MainWindow::analysisFinished, &window, [&] {
        const auto result = window.currentResult();
        if (!result || !result->follow || !result->follow->lastTsMs)
            return;
        lags.push_back(QDateTime::currentMSecsSinceEpoch() - *result->follow->lastTsMs);
        workerMs.push_back(result->analyzeSeconds * 1000.0);
        publishMs.push_back(result->follow->publishSeconds * 1000.0);
        // From the third result on: the cost of live updates alone (the first one builds
        // every chart, and their first paints run after it, one per turn).
        if (lags.size() == 3)
            steady.start();
    });
    QObject::connect(&window, &MainWindow::analysisFailed, &window, [](const QString& message) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(message));
        QApplication::exit(kExitFailure);
    });
    QTimer idle;
    QObject::connect(&idle, &QTimer::timeout, &window, [&] {
        const auto result = window.currentResult();
        const std::uint64_t rows = result && result->log ? result->log->table.rows() : 0;
        if (rows != rowsSeen || rows == 0) {
            rowsSeen = rows;
            sinceNewRows.restart();
            return;
        }
        if (sinceNewRows.elapsed() < static_cast<qint64>(idleExitS * 1000))
            return;
        std::vector<qint64> sorted = lags;
        std::sort(sorted.begin(), sorted.end());
        const FollowInfo f = result->follow.value_or(FollowInfo{});
        std::fprintf(stdout, "longest event-loop stall: %lld ms (%lld ms total, %llu rows)\n",
                     static_cast<long long>(probe.longestStallMs()), static_cast<long long>(clock.elapsed()),
                     static_cast<unsigned long long>(rows));
        std::fprintf(
            stdout, "longest stall from the third result on: %lld ms (GUI thread CPU time in it: %lld ms)\n",
            static_cast<long long>(steady.longestStallMs()), static_cast<long long>(steady.longestBusyMs()));
        std::fprintf(stdout,
                     "follow: %llu rows, %llu lines, %zu view updates, chart lag median %lld ms, max %lld ms "
                     "rotations %llu rename + %llu truncate\n",
                     static_cast<unsigned long long>(rows), static_cast<unsigned long long>(f.lines),
                     sorted.size(), sorted.empty() ? -1LL : static_cast<long long>(sorted[sorted.size() / 2]),
                     sorted.empty() ? -1LL : static_cast<long long>(sorted.back()),
                     static_cast<unsigned long long>(f.renameRotations),
                     static_cast<unsigned long long>(f.truncateRotations));
        printTimes("worker per update (copy + analyse)", workerMs);
        // Whether the per-update cost grows with the rows held: early against late updates.
        const std::size_t third = workerMs.size() / 3;
        printTimes("worker per update, first third", {workerMs.begin(), workerMs.begin() + third});
        printTimes("worker per update, last third", {workerMs.end() - third, workerMs.end()});
        printTimes("worker per update: the log's copy for the result", publishMs);
        printTimes("UI thread per update: main window", window.updateTimesMs());
        printTimes("UI thread per update: Performance view", window.performanceView()->updateTimesMs());
        printTimes("UI thread per update: Operations view", window.operationsView()->updateTimesMs());
        printTimes("UI thread per update: KPI view", window.kpiView()->updateTimesMs());
        int charts = 0;
        int rebuilds = 0;
        for (const ChartGridView* view : {static_cast<const ChartGridView*>(window.performanceView()),
                                          static_cast<const ChartGridView*>(window.operationsView()),
                                          static_cast<const ChartGridView*>(window.kpiView())})
            for (const QString& id : view->chartIds()) {
                ++charts;
                rebuilds += view->chart(id)->structuralRebuilds();
            }
        std::fprintf(stdout, "chart series re-created (not updated in place): %d times over %d charts\n",
                     rebuilds, charts);
        std::fflush(stdout);
        // For looking at it: the Performance tab, then the Operations tab (updated when
        // shown), grabbed once it has been laid out.
        const QString dir = qEnvironmentVariable("VIGIL_GRAB_DIR");
        auto* tabs = window.findChild<QTabWidget*>();
        if (dir.isEmpty() || !tabs) {
            QApplication::exit(kExitOk);
            return;
        }
        idle.stop();
        window.grab().save(dir + QStringLiteral("/vigil-follow-performance.png"));
        tabs->setCurrentWidget(window.operationsView());
        QTimer::singleShot(500, &window, [&window, dir] {
            window.grab().save(dir + QStringLiteral("/vigil-follow-operations.png"));
            QApplication::exit(kExitOk);
        });
    });
    window.resize(1600, 1000);
    window.setFollowMode(true);
    window.show();
    probe.start();
    clock.start();
    sinceNewRows.start();
    idle.start(100);
    window.openPaths(logs);
    return QApplication::exec();
}

int probeStalls(MainWindow& window, const QStringList& logs)
{
    StallProbe probe;
    QElapsedTimer clock;
    int rc = 0;
    QObject::connect(&window, &MainWindow::analysisFinished, &window, [&] {
        QTimer::singleShot(kSettleMs, &window, [&] {
            const auto result = window.currentResult();
            std::fprintf(
                stdout, "longest event-loop stall: %lld ms (%lld ms total, %llu rows)\n",
                static_cast<long long>(probe.longestStallMs()), static_cast<long long>(clock.elapsed()),
                static_cast<unsigned long long>(result && result->log ? result->log->table.rows() : 0));
            QApplication::exit(rc);
        });
    });
    QObject::connect(&window, &MainWindow::analysisFailed, &window, [](const QString& message) {
        std::fprintf(stderr, "vigil: %s\n", qPrintable(message));
        QApplication::exit(kExitFailure);
    });
    QTimer::singleShot(kProbeTimeoutMs, &window, [] {
        std::fprintf(stderr, "vigil: probe: the log did not finish loading in time\n");
        QApplication::exit(kExitFailure);
    });
    window.resize(1600, 1000);
    window.show();
    probe.start();
    clock.start();
    window.openPaths(logs);
    return QApplication::exec();
}

} // namespace

int runGui(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Vigil: a dashboard for models in production.\n\n"
                       "Subcommands: vigil report | snapshot | demo (see vigil <subcommand> --help)."));
    parser.addHelpOption();
    parser.addVersionOption();
    addAnalysisOptions(parser);
    parser.addOption({QStringLiteral("follow"),
                      QStringLiteral("Follow the logs as they grow and rotate (docs/FOLLOW.md).")});
    parser.addOption({QStringLiteral("idle-exit"),
                      QStringLiteral("With --follow --probe-stalls: stop after this many seconds without new "
                                     "rows (default 3)."),
                      QStringLiteral("seconds")});
    parser.addOption(
        {QStringLiteral("scrape"),
         QStringLiteral("A Prometheus/OpenMetrics endpoint for the Resources and Operations views "
                        "(repeatable)."),
         QStringLiteral("url")});
    parser.addOption({QStringLiteral("interval"), QStringLiteral("Time between scrapes (default 5s)."),
                      QStringLiteral("duration"), QStringLiteral("5s")});
    parser.addOption({QStringLiteral("prometheus"),
                      QStringLiteral("A Prometheus server (base URL) to run --query against, drawn in the "
                                     "Resources view."),
                      QStringLiteral("url")});
    parser.addOption(
        {QStringLiteral("query"),
         QStringLiteral("PromQL for --prometheus: a range query over the logs' time range (the last "
                        "hour without logs), stepped for the chart width."),
         QStringLiteral("promql")});
    parser.addOption(
        {QStringLiteral("token-env"),
         QStringLiteral("With --prometheus: the NAME of the environment variable holding a bearer "
                        "token (the token itself never goes on the command line)."),
         QStringLiteral("name")});
    parser.addOption({QStringLiteral("probe-stalls"),
                      QStringLiteral("Load the logs offscreen, print the longest event-loop stall, exit.")});
    parser.addPositionalArgument(QStringLiteral("log"), QStringLiteral("Prediction logs to open."),
                                 QStringLiteral("[LOG...]"));
    parser.process(args);

    const auto config = configFromOptions(parser);
    if (!config) {
        return kExitUsage;
    }
    const QStringList logs = parser.positionalArguments();
    MainWindow window(*config);
    if (parser.isSet(QStringLiteral("probe-stalls"))) {
        if (logs.isEmpty()) {
            return fail(QStringLiteral("--probe-stalls needs a log"));
        }
        if (parser.isSet(QStringLiteral("follow"))) {
            bool ok = true;
            const double idle = parser.isSet(QStringLiteral("idle-exit"))
                                    ? parser.value(QStringLiteral("idle-exit")).toDouble(&ok)
                                    : 3.0;
            if (!ok || !(idle > 0.0))
                return fail(QStringLiteral("--idle-exit takes a number of seconds"));
            return probeFollow(window, logs, idle);
        }
        return probeStalls(window, logs);
    }
    window.setFollowMode(parser.isSet(QStringLiteral("follow")));
    if (parser.isSet(QStringLiteral("scrape"))) {
        const auto interval = parseDurationArg(parser.value(QStringLiteral("interval")));
        if (!interval || interval->count() <= 0) {
            return fail(QStringLiteral("--interval must be a positive duration such as 5s or 500ms"));
        }
        window.addScrapeEndpoints(parser.values(QStringLiteral("scrape")), *interval);
        if (logs.isEmpty()) {
            window.showResourcesTab();
        }
    }
    const bool prometheus = parser.isSet(QStringLiteral("prometheus"));
    if (prometheus != parser.isSet(QStringLiteral("query"))) {
        return fail(QStringLiteral("--prometheus and --query go together"));
    }
    window.show();
    if (prometheus) {
        const QString url = parser.value(QStringLiteral("prometheus"));
        const QString promql = parser.value(QStringLiteral("query"));
        const QString tokenEnv = parser.value(QStringLiteral("token-env"));
        if (logs.isEmpty()) {
            window.runPrometheusQuery(url, promql, tokenEnv);
        } else {
            // Over the logs' range: wait until they are loaded (or failed to).
            auto once = std::make_shared<bool>(false);
            auto run = [&window, url, promql, tokenEnv, once] {
                if (std::exchange(*once, true))
                    return;
                window.runPrometheusQuery(url, promql, tokenEnv);
            };
            QObject::connect(&window, &MainWindow::analysisFinished, &window, run);
            QObject::connect(&window, &MainWindow::analysisFailed, &window, run);
        }
    }
    if (!logs.isEmpty()) {
        window.openPaths(logs);
    }
    return QApplication::exec();
}

} // namespace vigil::cli
