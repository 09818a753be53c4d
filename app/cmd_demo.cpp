// vigil demo: writes a week of synthetic production traffic, keeps appending in real
// time and opens the dashboard on it.
#include "cli_common.h"

#include "demo/demo_log.h"
#include "main_window.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <chrono>
#include <fmt/format.h>
#include <thread>

namespace vigil::cli {

namespace {

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Appends one second of traffic at a time until stopped. Runs on its own thread so
// the GUI thread never does file I/O.
void appendLive(std::stop_token stop, DemoLogGenerator& generator, const std::string& path,
                const std::string& labelsPath, std::int64_t fromMs, std::int64_t untilMs)
{
    std::int64_t last = fromMs;
    while (!stop.stop_requested()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
        const std::int64_t now = nowMs();
        if (untilMs > 0 && now >= untilMs) {
            break;
        }
        if (auto written = writeDemoRange(generator, path, last, now, true, labelsPath); !written) {
            std::fprintf(stderr, "vigil: demo: %s\n", written.error().message.c_str());
            return;
        }
        last = now;
    }
}

} // namespace

int runDemo(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Open the dashboard on a realistic synthetic production log."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (default 7)."), QStringLiteral("n"),
                      QStringLiteral("7")});
    parser.addOption({QStringLiteral("dir"),
                      QStringLiteral("Folder for the log (default: a new temporary folder)."),
                      QStringLiteral("dir")});
    parser.addOption(
        {QStringLiteral("end"),
         QStringLiteral("End of the history, epoch ms (default: now). Fix it for reproducible logs."),
         QStringLiteral("ms")});
    parser.addOption(
        {QStringLiteral("no-gui"), QStringLiteral("Write the history and exit (no live appending).")});
    parser.addOption({QStringLiteral("live-seconds"),
                      QStringLiteral("With --no-gui: keep appending in real time for this many seconds."),
                      QStringLiteral("s"), QStringLiteral("0")});
    parser.addOption(
        {QStringLiteral("separate-labels"),
         QStringLiteral("Write the labels to labels.jsonl (request_id, label, ts), each arriving "
                        "hours after its prediction, and join them with --labels.")});
    if (const auto done = parseArguments(parser, args, QStringLiteral("demo"))) {
        return *done;
    }
    bool ok = false;
    const std::uint64_t seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
    if (!ok) {
        return fail(QStringLiteral("demo: bad --seed"));
    }
    std::int64_t endMs = nowMs();
    if (parser.isSet(QStringLiteral("end"))) {
        endMs = parser.value(QStringLiteral("end")).toLongLong(&ok);
        if (!ok) {
            return fail(QStringLiteral("demo: bad --end (epoch milliseconds)"));
        }
    }
    const int liveSeconds = parser.value(QStringLiteral("live-seconds")).toInt(&ok);
    if (!ok || liveSeconds < 0) {
        return fail(QStringLiteral("demo: bad --live-seconds"));
    }

    QTemporaryDir tempDir(QDir::tempPath() + QStringLiteral("/vigil-demo-XXXXXX"));
    QString dir = parser.value(QStringLiteral("dir"));
    if (dir.isEmpty()) {
        if (!tempDir.isValid()) {
            return fail(QStringLiteral("demo: cannot create a temporary folder"));
        }
        dir = tempDir.path();
    } else if (!QDir().mkpath(dir)) {
        return fail(QStringLiteral("demo: cannot create %1").arg(dir));
    }
    const std::string path = QDir(dir).filePath(QStringLiteral("predictions.jsonl")).toStdString();

    DemoScenario scenario;
    scenario.seed = seed;
    scenario.startMs = endMs - kDemoHistoryMs;
    scenario.separateLabels = parser.isSet(QStringLiteral("separate-labels"));
    const std::string labelsPath = scenario.separateLabels
                                       ? QDir(dir).filePath(QStringLiteral("labels.jsonl")).toStdString()
                                       : std::string();
    DemoLogGenerator generator(scenario);
    auto written = writeDemoRange(generator, path, scenario.startMs, endMs, false, labelsPath);
    if (!written) {
        return fail(written.error().message);
    }
    std::fprintf(stderr, "vigil: demo log %s (%llu rows)\n", path.c_str(),
                 static_cast<unsigned long long>(written.value()));

    if (parser.isSet(QStringLiteral("no-gui"))) {
        if (liveSeconds > 0) {
            appendLive({}, generator, path, labelsPath, endMs, nowMs() + liveSeconds * 1000LL);
        }
        tempDir.setAutoRemove(false); // the caller asked for the file
        std::fprintf(stdout, "%s\n", path.c_str());
        if (!labelsPath.empty()) {
            std::fprintf(stdout, "%s\n", labelsPath.c_str());
        }
        return kExitOk;
    }

    std::jthread appender(
        [&](std::stop_token stop) { appendLive(stop, generator, path, labelsPath, endMs, 0); });
    VigilConfig config;
    if (!labelsPath.empty()) {
        config.labels.emplace().path = labelsPath;
    }
    MainWindow window(config);
    window.setFollowMode(true);
    window.openPaths({QString::fromStdString(path)});
    window.show();
    const int rc = QApplication::exec();
    appender.request_stop();
    return rc;
}

} // namespace vigil::cli
