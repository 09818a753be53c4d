// vigil snapshot LOG... --view performance|operations|kpi|drift --out FILE.png|svg|pdf [--size WxH]
//                [--feature NAME] [--statistic ks|wasserstein|psi|js|hellinger|chi2|missing]
// vigil snapshot --view resources [--scrape URL...] [--duration 10s] [--interval 1s] --out FILE
#include "cli_common.h"

#include "drift_snapshot.h"
#include "duration_arg.h"
#include "engine/drift_stage.h"
#include "engine/pipeline.h"
#include "metrics/collect.h"
#include "resources_snapshot.h"
#include "snapshot_renderer.h"

#include <QRegularExpression>
#include <QSize>

namespace vigil::cli {

namespace {

// No log: samples this machine and/or scrapes the endpoints for --duration, then renders.
int runResourcesSnapshot(const QCommandLineParser& parser, const QString& out, QSize size)
{
    CollectOptions options;
    const auto interval = parseDurationArg(parser.value(QStringLiteral("interval")));
    const auto duration = parseDurationArg(parser.value(QStringLiteral("duration")));
    if (!interval || interval->count() <= 0)
        return fail(QStringLiteral("snapshot: --interval must be a positive duration such as 1s or 500ms"));
    if (!duration)
        return fail(QStringLiteral("snapshot: --duration must be a duration such as 10s"));
    options.interval = *interval;
    options.duration = *duration;
    const QStringList urls = parser.values(QStringLiteral("scrape"));
    for (const QString& url : urls) {
        ScrapeTarget t;
        t.url = url.toStdString();
        t.options.timeoutSeconds = std::max(0.5, static_cast<double>(interval->count()) / 1000.0);
        options.targets.push_back(std::move(t));
    }
    options.local = urls.isEmpty() || parser.isSet(QStringLiteral("local"));
    auto frames = collectResources(options);
    if (!frames)
        return fail(frames.error().message);
    ResourceViewOptions viewOptions;
    viewOptions.widthPx = resourcesSnapshotChartWidth(size);
    auto data = buildResourceView(frames.value(), viewOptions);
    if (!data)
        return fail(data.error().message);
    QStringList sources;
    if (options.local)
        sources << QStringLiteral("this machine (local sampler)");
    if (!urls.isEmpty())
        sources << QStringLiteral("%1 endpoint(s)").arg(urls.size());
    QString error;
    if (!renderResourcesSnapshot(std::make_shared<const ResourceViewData>(std::move(data).value()),
                                 sources.join(QStringLiteral(" + ")), out, size, &error))
        return fail(error);
    return kExitOk;
}

} // namespace

int runSnapshot(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Render a view to PNG, SVG or PDF without a display."));
    parser.addHelpOption();
    addAnalysisOptions(parser);
    parser.addOption({QStringLiteral("view"),
                      QStringLiteral("performance, operations, kpi, drift or resources."),
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
    parser.addOption({QStringLiteral("scrape"),
                      QStringLiteral("resources: a metrics endpoint to scrape (repeatable)."),
                      QStringLiteral("url")});
    parser.addOption({QStringLiteral("local"),
                      QStringLiteral("resources: sample this machine too (the default without --scrape).")});
    parser.addOption({QStringLiteral("duration"),
                      QStringLiteral("resources: how long to sample (default 10s)."),
                      QStringLiteral("duration"), QStringLiteral("10s")});
    parser.addOption({QStringLiteral("interval"),
                      QStringLiteral("resources: time between samples (default 1s)."),
                      QStringLiteral("duration"), QStringLiteral("1s")});
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
    const bool resources =
        parser.value(QStringLiteral("view")).compare(QLatin1String("resources"), Qt::CaseInsensitive) == 0;
    if (logs.isEmpty() && !resources) {
        return fail(QStringLiteral("snapshot: no log given"));
    }
    const auto view = viewKindFromName(parser.value(QStringLiteral("view")));
    if (!view && !resources) {
        return fail(
            QStringLiteral("snapshot: --view must be performance, operations, kpi, drift or resources"));
    }
    const auto statistic = driftStatisticFromName(parser.value(QStringLiteral("statistic")).toStdString());
    if (!statistic) {
        return fail(
            QStringLiteral("snapshot: --statistic must be ks, wasserstein, psi, js, hellinger, chi2 or "
                           "missing, not '%1'")
                .arg(parser.value(QStringLiteral("statistic"))));
    }
    if (parser.isSet(QStringLiteral("feature")) && view != ViewKind::Drift) {
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
    QSize size(match.captured(1).toInt(), match.captured(2).toInt());
    if (resources && !parser.isSet(QStringLiteral("size"))) {
        size = QSize(1800, 1300); // a dozen charts and the side panel need more room than one view
    }
    if (size.width() < 200 || size.height() < 150 || size.width() > 10000 || size.height() > 10000) {
        return fail(QStringLiteral("snapshot: --size must be between 200x150 and 10000x10000"));
    }
    if (resources) {
        return runResourcesSnapshot(parser, out, size);
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
