// vigil report LOG... --out report.json|report.csv
#include "cli_common.h"

#include "engine/pipeline.h"
#include "engine/window.h"
#include "report/report.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>
#include <fmt/format.h>

namespace vigil::cli {

int runReport(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Write the per-window numbers of prediction logs."));
    parser.addHelpOption();
    addAnalysisOptions(parser);
    parser.addOption({QStringLiteral("out"),
                      QStringLiteral("Output file: .json or .csv ('-' for JSON on stdout)."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("quiet"), QStringLiteral("No summary line on stderr.")});
    parser.addPositionalArgument(QStringLiteral("log"),
                                 QStringLiteral("Prediction log files (JSONL or CSV)."),
                                 QStringLiteral("LOG..."));
    if (const auto done = parseArguments(parser, args, QStringLiteral("report"))) {
        return *done;
    }
    const QStringList logs = parser.positionalArguments();
    if (logs.isEmpty()) {
        return fail(QStringLiteral("report: no log given (vigil report LOG... --out report.json)"));
    }
    const QString out = parser.value(QStringLiteral("out"));
    const bool csv = out.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive);
    if (out.isEmpty() ||
        !(csv || out == QStringLiteral("-") || out.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive))) {
        return fail(QStringLiteral("report: --out must name a .json or .csv file (or '-')"));
    }
    const auto config = configFromOptions(parser);
    if (!config) {
        return kExitUsage;
    }

    auto result = runPipeline(toPaths(logs), *config);
    if (!result) {
        return fail(result.error().message);
    }
    const AnalysisResult& r = *result.value();
    const std::string text = csv ? reportToCsv(r) : reportToJson(r);
    if (out == QStringLiteral("-")) {
        std::fwrite(text.data(), 1, text.size(), stdout);
    } else {
        QSaveFile file(out);
        if (!file.open(QIODevice::WriteOnly) ||
            file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()) ||
            !file.commit()) {
            return fail(QStringLiteral("cannot write %1: %2").arg(out, file.errorString()));
        }
    }
    for (const auto& warning : r.warnings) {
        std::fprintf(stderr, "vigil: warning: %s\n", warning.c_str());
    }
    if (!parser.isSet(QStringLiteral("quiet"))) {
        const LoadedLog& log = *r.log;
        std::fputs(
            fmt::format("vigil: {} rows, {} malformed lines, {} windows of {} ({:.2f} s read, {:.2f} s "
                        "analysis)\n",
                        log.table.rows(), log.malformed, r.snapshot.windows.size(),
                        formatWindowSize(r.snapshot.windowMs), log.seconds, r.analyzeSeconds)
                .c_str(),
            stderr);
    }
    return kExitOk;
}

} // namespace vigil::cli
