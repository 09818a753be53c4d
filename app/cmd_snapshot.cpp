// vigil snapshot LOG... --view performance|operations|kpi --out FILE.png|svg|pdf [--size WxH]
#include "cli_common.h"

#include "engine/pipeline.h"
#include "snapshot_renderer.h"

#include <QRegularExpression>
#include <QSize>

namespace vigil::cli {

int runSnapshot(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Render a view to PNG, SVG or PDF without a display."));
    parser.addHelpOption();
    addAnalysisOptions(parser);
    parser.addOption(
        {QStringLiteral("view"), QStringLiteral("performance, operations or kpi."), QStringLiteral("view")});
    parser.addOption(
        {QStringLiteral("out"), QStringLiteral("Output: .png, .svg or .pdf."), QStringLiteral("file")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Size in pixels (default 1600x900)."),
                      QStringLiteral("WxH"), QStringLiteral("1600x900")});
    parser.addPositionalArgument(QStringLiteral("log"), QStringLiteral("Prediction log files."),
                                 QStringLiteral("LOG..."));
    if (const auto done = parseArguments(parser, args, QStringLiteral("snapshot"))) {
        return *done;
    }
    const QStringList logs = parser.positionalArguments();
    if (logs.isEmpty()) {
        return fail(QStringLiteral("snapshot: no log given"));
    }
    const auto view = viewKindFromName(parser.value(QStringLiteral("view")));
    if (!view) {
        return fail(QStringLiteral("snapshot: --view must be performance, operations or kpi"));
    }
    const QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty()) {
        return fail(QStringLiteral("snapshot: --out FILE.png|svg|pdf is required"));
    }
    static const QRegularExpression sizePattern(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"));
    const auto match = sizePattern.match(parser.value(QStringLiteral("size")));
    if (!match.hasMatch()) {
        return fail(QStringLiteral("snapshot: bad --size '%1' (e.g. 1600x900)")
                        .arg(parser.value(QStringLiteral("size"))));
    }
    const QSize size(match.captured(1).toInt(), match.captured(2).toInt());
    if (size.width() < 200 || size.height() < 150 || size.width() > 10000 || size.height() > 10000) {
        return fail(QStringLiteral("snapshot: --size must be between 200x150 and 10000x10000"));
    }
    const auto config = configFromOptions(parser);
    if (!config) {
        return kExitUsage;
    }
    auto result = runPipeline(toPaths(logs), *config);
    if (!result) {
        return fail(result.error().message);
    }
    QString error;
    if (!renderViewSnapshot(result.value(), *view, out, size, &error)) {
        return fail(error);
    }
    return kExitOk;
}

} // namespace vigil::cli
