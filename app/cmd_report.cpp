// vigil report LOG... --out report.json|report.csv
#include "cli_common.h"
#include "size_arg.h"

#include "engine/bounded_pipeline.h"
#include "engine/follow_session.h"
#include "engine/label_source.h"
#include "engine/pipeline.h"
#include "engine/reference_profile.h"
#include "engine/window.h"
#include "ingest/label_summary.h"
#include "report/drift_csv.h"
#include "report/report.h"
#include "report_follow.h"
#include "util/phase_timer.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QSaveFile>
#include <cstdlib>
#include <fmt/format.h>

namespace vigil::cli {

namespace {

// Keeps the 1M-row benchmark log (~260 MB of table) in memory and a 10M-row one well under
// 1.5 GB of RSS (docs/MEMORY.md).
constexpr std::uint64_t kDefaultMemoryBudget = 768ull << 20;

// Epoch milliseconds, or ISO-8601 (a time without an offset is UTC).
std::optional<std::int64_t> parseTimePoint(const QString& text)
{
    bool ok = false;
    const qint64 ms = text.toLongLong(&ok);
    if (ok) {
        return ms;
    }
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid()) {
        return std::nullopt;
    }
    if (t.timeSpec() == Qt::LocalTime) {
        t.setTimeSpec(Qt::UTC);
    }
    return t.toMSecsSinceEpoch();
}

// The reference file is read with the analysed log's resolved mapping, so its columns match.
MappingOverrides overridesFrom(const FieldMapping& m)
{
    MappingOverrides o;
    o.timestamp = m.timestamp;
    o.timestampUnit = m.timestampUnit;
    o.requestId = m.requestId;
    o.model = m.model;
    o.version = m.version;
    o.latency = m.latency;
    o.status = m.status;
    o.okStatusValues = m.okStatusValues;
    o.prediction = m.prediction;
    o.predictionKind = m.predictionKind;
    o.label = m.label;
    o.positiveClass = m.positiveClass;
    o.numericFeatures = m.numericFeatures;
    o.categoricalFeatures = m.categoricalFeatures;
    o.kpis = m.kpis;
    return o;
}

Result<LoadedLog> load(const std::vector<std::string>& paths, const LoadOptions& options)
{
    try {
        return loadLogs(paths, options);
    } catch (const std::exception& e) {
        return Error{std::string("reading the log failed: ") + e.what()};
    }
}

} // namespace

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
    parser.addOption({QStringLiteral("no-drift"), QStringLiteral("Leave out the drift statistics.")});
    parser.addOption(
        {QStringLiteral("reference"),
         QStringLiteral("Drift reference time range START..END of the log (ISO-8601 or epoch ms; "
                        "default: see docs/DRIFT.md), or rolling:N (the previous N windows)."),
         QStringLiteral("range")});
    parser.addOption({QStringLiteral("reference-file"),
                      QStringLiteral("Drift reference: a separate log read with the same mapping."),
                      QStringLiteral("file")});
    parser.addOption(
        {QStringLiteral("save-reference"),
         QStringLiteral("Save the drift reference as a reference profile (JSON) for later reports."),
         QStringLiteral("profile")});
    parser.addOption({QStringLiteral("reference-profile"),
                      QStringLiteral("Drift reference: a profile saved with --save-reference."),
                      QStringLiteral("profile")});
    parser.addOption(
        {QStringLiteral("drift-max-rows"),
         QStringLiteral("Drift on a deterministic sample of at most N rows per window (0 = all)."),
         QStringLiteral("n")});
    parser.addOption(
        {QStringLiteral("memory-budget"),
         QStringLiteral("Rows kept in memory, e.g. 512M, 1G (default 768M; 0 = unlimited). A larger log is "
                        "spilled to a temporary file and analysed in batches (docs/MEMORY.md)."),
         QStringLiteral("size")});
    addFollowOptions(parser);
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

    AnalysisOptions options = analysisOptionsFrom(*config);
    options.drift.enabled = !parser.isSet(QStringLiteral("no-drift"));
    if (parser.isSet(QStringLiteral("reference")) &&
        parser.value(QStringLiteral("reference")).startsWith(QStringLiteral("rolling:"))) {
        const QString text = parser.value(QStringLiteral("reference"));
        bool ok = false;
        const qulonglong n = text.mid(8).toULongLong(&ok);
        if (!ok || n == 0) {
            return fail(QStringLiteral("bad --reference '%1' (rolling:N with N >= 1)").arg(text));
        }
        if (parser.isSet(QStringLiteral("reference-file"))) {
            return fail(QStringLiteral("--reference rolling:N and --reference-file exclude each other"));
        }
        options.drift.rollingWindows = static_cast<std::size_t>(n);
    } else if (parser.isSet(QStringLiteral("reference"))) {
        const QString text = parser.value(QStringLiteral("reference"));
        const auto parts = text.split(QStringLiteral(".."));
        const auto start = parts.size() == 2 ? parseTimePoint(parts[0]) : std::nullopt;
        const auto end = parts.size() == 2 ? parseTimePoint(parts[1]) : std::nullopt;
        if (!start || !end) {
            return fail(QStringLiteral("bad --reference '%1' (START..END, ISO-8601 or epoch ms)").arg(text));
        }
        options.drift.referenceStartMs = *start;
        options.drift.referenceEndMs = *end;
    }
    if (parser.isSet(QStringLiteral("drift-max-rows"))) {
        bool ok = false;
        const qulonglong n = parser.value(QStringLiteral("drift-max-rows")).toULongLong(&ok);
        if (!ok) {
            return fail(QStringLiteral("bad --drift-max-rows '%1'")
                            .arg(parser.value(QStringLiteral("drift-max-rows"))));
        }
        options.drift.maxRowsPerWindow = static_cast<std::size_t>(n);
    }

    if (parser.isSet(QStringLiteral("reference-profile"))) {
        if (parser.isSet(QStringLiteral("reference")) || parser.isSet(QStringLiteral("reference-file"))) {
            return fail(QStringLiteral("--reference-profile excludes --reference and --reference-file"));
        }
        if (parser.isSet(QStringLiteral("save-reference"))) {
            return fail(QStringLiteral("--save-reference needs a reference built from data, not a profile"));
        }
        auto profile = loadReferenceProfile(parser.value(QStringLiteral("reference-profile")).toStdString());
        if (!profile) {
            return fail(profile.error().message);
        }
        options.drift.profile = std::make_shared<const ReferenceProfile>(std::move(profile.value()));
    }
    if (parser.isSet(QStringLiteral("save-reference")) && !options.drift.enabled) {
        return fail(QStringLiteral("--save-reference needs drift (drop --no-drift)"));
    }

    std::uint64_t memoryBudget = kDefaultMemoryBudget;
    if (parser.isSet(QStringLiteral("memory-budget"))) {
        const auto size = parseByteSize(parser.value(QStringLiteral("memory-budget")));
        if (!size) {
            return fail(QStringLiteral("bad --memory-budget '%1' (e.g. 512M, 1G; 0 = unlimited)")
                            .arg(parser.value(QStringLiteral("memory-budget"))));
        }
        memoryBudget = *size;
    }

    if (parser.isSet(QStringLiteral("follow"))) {
        return runReportFollow(parser, logs, loadOptionsFrom(*config), options, out, config->labels);
    }
    LoadOptions loadOptions;
    if (config->format) {
        loadOptions.format = *config->format;
    }
    loadOptions.overrides = config->mapping;
    LoadOptions mainOptions = loadOptions;
    mainOptions.memoryBudgetBytes = memoryBudget;
    mainOptions.keepRequestIds = config->labels && !config->labels->path.empty();
    phaseMark("report: arguments");
    auto loaded = load(toPaths(logs), mainOptions);
    phaseMark("report: load");
    if (!loaded) {
        return fail(loaded.error().message);
    }
    if (loaded.value().spill && parser.isSet(QStringLiteral("save-reference"))) {
        return fail(QStringLiteral("--save-reference needs the whole log in memory, and this log is larger "
                                   "than the memory budget: raise --memory-budget (0 = unlimited)"));
    }
    std::vector<std::string> loadWarnings = std::move(loaded.warnings);
    if (config->labels && !config->labels->path.empty()) {
        auto joined = joinLabelSourceSpilled(loaded.value(), *config->labels);
        if (!joined) {
            return fail(joined.error().message);
        }
        loadWarnings.insert(loadWarnings.end(), joined.warnings.begin(), joined.warnings.end());
    }
    auto log = std::make_shared<const LoadedLog>(std::move(loaded.value()));
    if (options.drift.enabled && parser.isSet(QStringLiteral("reference-file"))) {
        LoadOptions refOptions = loadOptions;
        refOptions.overrides = overridesFrom(log->schema.mapping);
        auto ref = load({parser.value(QStringLiteral("reference-file")).toStdString()}, refOptions);
        if (!ref) {
            return fail("reference file: " + ref.error().message);
        }
        options.drift.referenceTable = std::make_shared<const LogTable>(std::move(ref.value().table));
    }
    phaseMark("report: labels/reference");
    auto analyzed = reanalyze(log, options);
    if (!analyzed) {
        return fail(analyzed.error().message);
    }
    auto result = std::make_shared<AnalysisResult>(*analyzed.value());
    result->warnings.insert(result->warnings.begin(), loadWarnings.begin(), loadWarnings.end());
    phaseMark("report: copy result");
    const AnalysisResult& r = *result;
    const std::string text = csv ? reportToCsv(r) : reportToJson(r);
    phaseMark("report: format");
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
    phaseMark("report: write");
    if (parser.isSet(QStringLiteral("save-reference"))) {
        const auto profile = buildReferenceProfile(r.log->table, r.snapshot, r.options.drift);
        if (!profile) {
            return fail(profile.error().message);
        }
        const std::string profileText = referenceProfileToJson(profile.value());
        const QString path = parser.value(QStringLiteral("save-reference"));
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) ||
            file.write(profileText.data(), static_cast<qint64>(profileText.size())) !=
                static_cast<qint64>(profileText.size()) ||
            !file.commit()) {
            return fail(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        }
    }
    // Drift per feature does not fit the one-row-per-window CSV: it goes to a long-format
    // companion file (docs/DRIFT.md, "CSV").
    if (csv && r.snapshot.drift) {
        const std::string driftText = driftToCsv(r);
        const QString driftOut = QString::fromStdString(driftCsvPath(out.toStdString()));
        QSaveFile file(driftOut);
        if (!file.open(QIODevice::WriteOnly) ||
            file.write(driftText.data(), static_cast<qint64>(driftText.size())) !=
                static_cast<qint64>(driftText.size()) ||
            !file.commit()) {
            return fail(QStringLiteral("cannot write %1: %2").arg(driftOut, file.errorString()));
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
                        log.rowCount(), log.malformed, r.snapshot.windows.size(),
                        formatWindowSize(r.snapshot.windowMs), log.seconds, r.analyzeSeconds)
                .c_str(),
            stderr);
        if (const auto& labels = log.labels) {
            std::fputs(fmt::format("vigil: labels {}: {} read, {} predictions labelled, {} matched nothing, "
                                   "delay p50 {:.1f} h\n",
                                   labels->source, labels->labelsRead, labels->predictionsLabelled,
                                   labels->unmatchedLabels, labels->delayP50Ms.value_or(0.0) / 3.6e6)
                           .c_str(),
                       stderr);
        }
    }
    phaseMark("report: summary");
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    // Everything is written: returning would only free the log and the analysis (hundreds of
    // MB, about 15 ms of the 1M-row report) before the kernel releases the pages anyway, the
    // teardown compilers skip too (clang -disable-free). Sanitizer builds still free it all,
    // so that their leak check keeps covering this path.
    std::fflush(nullptr);
    std::_Exit(kExitOk);
#else
    return kExitOk;
#endif
}

} // namespace vigil::cli
