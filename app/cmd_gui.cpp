// The dashboard itself, and --probe-stalls: load a log in the GUI (offscreen) and print
// the event loop's longest stall while it loads and draws.
#include "cli_common.h"

#include "duration_arg.h"

#include "main_window.h"
#include "stall_probe.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <cstdio>

namespace vigil::cli {

namespace {

// After the result is drawn, keep probing a little so deferred layout/paint counts too.
constexpr int kSettleMs = 1500;
constexpr int kProbeTimeoutMs = 600'000;

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
    parser.addOption({QStringLiteral("follow"), QStringLiteral("Re-read the logs as they grow.")});
    parser.addOption(
        {QStringLiteral("scrape"),
         QStringLiteral("A Prometheus/OpenMetrics endpoint for the Resources and Operations views "
                        "(repeatable)."),
         QStringLiteral("url")});
    parser.addOption({QStringLiteral("interval"), QStringLiteral("Time between scrapes (default 5s)."),
                      QStringLiteral("duration"), QStringLiteral("5s")});
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
    window.show();
    if (!logs.isEmpty()) {
        window.openPaths(logs);
    }
    return QApplication::exec();
}

} // namespace vigil::cli
