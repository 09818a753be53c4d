// vigil report LOG --follow [--idle-exit SECONDS] [--interval SECONDS] --out FILE
#include "report_follow.h"

#include "cli_common.h"
#include "engine/follow_session.h"
#include "engine/window.h"
#include "ingest/log_sources.h"
#include "report/report.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fmt/format.h>
#include <thread>

namespace vigil::cli {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPollInterval = std::chrono::milliseconds(100);

volatile std::sig_atomic_t g_stopSignal = 0;

extern "C" void onStopSignal(int signal)
{
    g_stopSignal = signal;
}

void installStopHandlers()
{
    struct sigaction action
    {
    };
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

std::optional<double> secondsOption(const QCommandLineParser& parser, const QString& name, double fallback)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const double v = parser.value(name).toDouble(&ok);
    if (!ok || !(v >= 0.0))
        return std::nullopt;
    return v;
}

bool writeReport(const AnalysisResult& result, const QString& out)
{
    const bool csv = out.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive);
    const std::string text = csv ? reportToCsv(result) : reportToJson(result);
    if (out == QStringLiteral("-")) {
        std::fwrite(text.data(), 1, text.size(), stdout);
        std::fflush(stdout);
        return true;
    }
    // QSaveFile writes a temporary file and renames it over the report: a reader
    // never sees a half-written report.
    QSaveFile file(out);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()) ||
        !file.commit()) {
        fail(QStringLiteral("cannot write %1: %2").arg(out, file.errorString()));
        return false;
    }
    return true;
}

} // namespace

void addFollowOptions(QCommandLineParser& parser)
{
    parser.addOption(
        {QStringLiteral("follow"),
         QStringLiteral("Keep following the log as it grows (and rotates); rewrite the report as "
                        "windows fill. SIGINT/SIGTERM write the final report and exit.")});
    parser.addOption({QStringLiteral("idle-exit"),
                      QStringLiteral("With --follow: write the final report and exit after this many seconds "
                                     "without a new line."),
                      QStringLiteral("seconds")});
    parser.addOption({QStringLiteral("interval"),
                      QStringLiteral("With --follow: rewrite the report at most this often (default 1)."),
                      QStringLiteral("seconds")});
}

int runReportFollow(const QCommandLineParser& parser, const QStringList& logs, const LoadOptions& load,
                    const AnalysisOptions& options, const QString& out,
                    const std::optional<LabelSourceConfig>& labels)
{
    const auto idleExit = secondsOption(parser, QStringLiteral("idle-exit"), 0.0);
    const auto interval = secondsOption(parser, QStringLiteral("interval"), 1.0);
    if (!idleExit || !interval)
        return fail(QStringLiteral("--idle-exit and --interval take a number of seconds"));
    if (parser.isSet(QStringLiteral("reference-file")))
        return fail(QStringLiteral("--reference-file cannot be combined with --follow (use --reference)"));
    for (const QString& log : logs) {
        if (QFileInfo::exists(log))
            continue;
        if (!log.contains(QRegularExpression(QStringLiteral("[*?[]"))))
            return fail(QStringLiteral("%1: no such file").arg(log));
        // A glob of rotated logs: the older matches are read once, the newest followed.
        auto matched = ingest::expandLogSources({log.toStdString()});
        if (!matched)
            return fail(QString::fromStdString(matched.error().message));
    }
    const bool withLabels = labels && !labels->path.empty();
    if (withLabels && !QFileInfo::exists(QString::fromStdString(labels->path)))
        return fail(QStringLiteral("%1: no such file").arg(QString::fromStdString(labels->path)));
    installStopHandlers();
    const bool quiet = parser.isSet(QStringLiteral("quiet"));
    const bool toStdout = out == QStringLiteral("-");

    FollowSession session(toPaths(logs), load, options);
    if (withLabels)
        session.followLabels(*labels);
    const auto idleLimit = std::chrono::duration<double>(*idleExit);
    const auto rewriteEvery = std::chrono::duration<double>(*interval);
    auto lastData = Clock::now();
    auto lastWrite = Clock::time_point{};
    std::uint64_t linesSeen = 0;
    bool dirty = false;
    while (g_stopSignal == 0) {
        auto polled = session.poll();
        if (!polled)
            return fail(polled.error().message);
        const auto now = Clock::now();
        const std::uint64_t lines = session.linesRead();
        if (lines != linesSeen || polled.value() > 0) {
            linesSeen = lines;
            lastData = now;
            dirty = true;
        }
        if (dirty && !toStdout && session.ready() && now - lastWrite >= rewriteEvery) {
            auto result = session.analyze();
            if (!result)
                return fail(result.error().message);
            if (!writeReport(*result.value(), out))
                return kExitFailure;
            lastWrite = Clock::now();
            dirty = false;
        }
        if (*idleExit > 0.0 && now - lastData >= idleLimit)
            break;
        std::this_thread::sleep_for(kPollInterval);
    }
    auto drained = session.poll(true);
    if (!drained)
        return fail(drained.error().message);
    if (!session.ready())
        return fail(QStringLiteral("%1: no whole line was written while following")
                        .arg(logs.join(QStringLiteral(", "))));
    auto result = session.analyze();
    if (!result)
        return fail(result.error().message);
    const AnalysisResult& r = *result.value();
    if (!writeReport(r, out))
        return kExitFailure;
    for (const auto& warning : r.warnings)
        std::fprintf(stderr, "vigil: warning: %s\n", warning.c_str());
    if (!quiet) {
        const FollowInfo& f = *r.follow;
        std::fputs(fmt::format("vigil: followed {} rows, {} malformed lines, {} rotations ({} rename, {} "
                               "truncate), {} windows of {}{}\n",
                               r.log->table.rows(), r.log->malformed, f.renameRotations + f.truncateRotations,
                               f.renameRotations, f.truncateRotations, r.snapshot.windows.size(),
                               formatWindowSize(r.snapshot.windowMs),
                               g_stopSignal != 0 ? " (stopped by a signal)" : "")
                       .c_str(),
                   stderr);
        if (const auto& l = r.log->labels) {
            std::fputs(fmt::format("vigil: labels {}: {} read, {} predictions labelled, {} matched nothing, "
                                   "{} duplicates, delay p50 {:.1f} s p95 {:.1f} s\n",
                                   l->source, l->labelsRead, l->predictionsLabelled, l->unmatchedLabels,
                                   l->duplicateLabels, l->delayP50Ms.value_or(0.0) / 1e3,
                                   l->delayP95Ms.value_or(0.0) / 1e3)
                           .c_str(),
                       stderr);
        }
    }
    return kExitOk;
}

} // namespace vigil::cli
