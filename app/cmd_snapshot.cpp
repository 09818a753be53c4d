// vigil snapshot LOG... --view performance|operations|kpi|drift --out FILE.png|svg|pdf [--size WxH]
//                [--feature NAME] [--statistic ks|wasserstein|psi|js|hellinger|chi2|missing]
#include "cli_common.h"

#include "drift_snapshot.h"
#include "engine/drift_stage.h"
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
    parser.addOption({QStringLiteral("view"), QStringLiteral("performance, operations, kpi or drift."),
                      QStringLiteral("view")});
    parser.addOption(
        {QStringLiteral("feature"),
         QStringLiteral("With --view drift: open this feature's drill-down (its most drifted window)."),
         QStringLiteral("name")});
    parser.addOption(
        {QStringLiteral("statistic"),
         QStringLiteral("With --view drift: colour by ks, wasserstein, psi, js, hellinger, chi2 or "
                        "missing (default js: defined for every feature type)."),
         QStringLiteral("name"), QStringLiteral("js")});
    parser.addOption({QStringLiteral("drift"),
                      QStringLiteral("With --view performance: compute drift too (concept-drift events, "
                                     "multivariate drift, CBPE estimates).")});
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
        return fail(QStringLiteral("snapshot: --view must be performance, operations, kpi or drift"));
    }
    const auto statistic = driftStatisticFromName(parser.value(QStringLiteral("statistic")).toStdString());
    if (!statistic) {
        return fail(
            QStringLiteral("snapshot: --statistic must be ks, wasserstein, psi, js, hellinger, chi2 or "
                           "missing, not '%1'")
                .arg(parser.value(QStringLiteral("statistic"))));
    }
    if (parser.isSet(QStringLiteral("feature")) && *view != ViewKind::Drift) {
        return fail(QStringLiteral("snapshot: --feature needs --view drift"));
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
    const bool drift = *view == ViewKind::Drift || parser.isSet(QStringLiteral("drift"));
    if (!drift) {
        if (!renderViewSnapshot(result.value(), *view, out, size, &error)) {
            return fail(error);
        }
        return kExitOk;
    }
    auto withStats = withDrift(result.value(), DriftOptions{});
    if (!withStats) {
        return fail(withStats.error().message);
    }
    if (*view != ViewKind::Drift) {
        if (!renderViewSnapshot(withStats.value(), *view, out, size, &error)) {
            return fail(error);
        }
        return kExitOk;
    }
    DriftRenderOptions options;
    options.statistic = *statistic;
    if (parser.isSet(QStringLiteral("feature"))) {
        const std::string feature = parser.value(QStringLiteral("feature")).toStdString();
        const AnalysisSnapshot& snap = withStats.value()->snapshot;
        const auto window = mostDriftedWindow(*snap.drift, feature, *statistic).value_or(0);
        auto drilldown = computeDrilldown(withStats.value()->log->table, snap, feature, window);
        if (!drilldown) {
            return fail(QStringLiteral("snapshot: ") + QString::fromStdString(drilldown.error().message));
        }
        options.drilldown = std::make_shared<const FeatureDrilldown>(std::move(drilldown.value()));
    }
    if (!renderDriftSnapshot(withStats.value(), options, out, size, &error)) {
        return fail(error);
    }
    return kExitOk;
}

} // namespace vigil::cli
