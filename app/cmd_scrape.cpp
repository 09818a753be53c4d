// vigil scrape URL... [--interval 5s] [--duration 60s] [--timeout 2s] --out FILE.json
#include "cli_common.h"
#include "prom_json.h"

#include "duration_arg.h"

#include "net/scrape_derived.h"
#include "net/scraper.h"
#include "report/json_writer.h"

#include <QSaveFile>
#include <cmath>
#include <fmt/format.h>

namespace vigil::cli {
namespace {

void writePoints(JsonWriter& w, const std::vector<PromPoint>& points)
{
    w.key("points").beginArray();
    for (const auto& p : points)
        writePromPoint(w, p);
    w.endArray();
}

void writePoints(JsonWriter& w, const PointHistory& points)
{
    w.key("points").beginArray();
    points.forEach([&](const PromPoint& p) { writePromPoint(w, p); });
    w.endArray();
}

std::string toJson(const ScrapeSnapshot& snap)
{
    JsonWriter w;
    w.beginObject().key("endpoints").beginArray();
    for (const EndpointState& ep : snap.endpoints) {
        w.beginObject();
        w.field("url", ep.url).field("up", ep.up);
        if (ep.lastError.empty())
            w.key("last_error").null();
        else
            w.field("last_error", ep.lastError);
        w.field("scrapes", ep.scrapes).field("failures", ep.failures);
        w.field("consecutive_failures", ep.consecutiveFailures);
        w.field("last_duration_seconds", ep.lastDurationSeconds);
        w.key("scrape_times_ms").beginArray();
        for (const auto t : ep.goodScrapesMs)
            w.value(t);
        w.endArray();
        w.key("warnings").beginArray();
        for (const auto& warning : ep.lastWarnings)
            w.value(warning);
        w.endArray();
        w.key("series").beginArray();
        for (const auto& [key, s] : ep.series) {
            w.beginObject().field("name", s.name).field("family", s.family);
            w.field("type", metricTypeName(s.type));
            writePromLabels(w, "labels", s.labels);
            writePoints(w, s.points);
            w.endObject();
        }
        w.endArray();
        w.key("rates").beginArray();
        for (const CounterRate& r : counterRates(ep)) {
            w.beginObject().field("name", r.series->name);
            writePromLabels(w, "labels", r.series->labels);
            w.field("rate", r.overall);
            writePoints(w, r.perInterval);
            w.endObject();
        }
        w.endArray();
        w.key("quantiles").beginArray();
        for (const HistogramQuantiles& h : histogramQuantiles(ep)) {
            w.beginObject().field("family", h.family);
            writePromLabels(w, "labels", h.labels);
            w.key("points").beginArray();
            for (const auto& p : h.points) {
                w.beginObject().field("t", p.timestampMs);
                w.key("p50");
                writePromNumber(w, p.p50);
                w.key("p90");
                writePromNumber(w, p.p90);
                w.key("p99");
                writePromNumber(w, p.p99);
                w.endObject();
            }
            w.endArray().endObject();
        }
        w.endArray();
        w.endObject();
    }
    w.endArray().endObject();
    std::string out = w.take();
    out += '\n';
    return out;
}

} // namespace

int runScrape(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Scrape Prometheus/OpenMetrics endpoints for a while and write what was read."));
    parser.addHelpOption();
    const auto opt = [&](const char* name, const char* help, const char* valueName = nullptr,
                         const char* def = nullptr) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help));
        if (valueName)
            o.setValueName(QString::fromLatin1(valueName));
        if (def)
            o.setDefaultValue(QString::fromLatin1(def));
        parser.addOption(o);
    };
    opt("out", "Output JSON file ('-' for stdout).", "file");
    opt("interval", "Time between scrapes (e.g. 5s, 500ms).", "duration", "5s");
    opt("duration", "How long to scrape; 0 for one scrape.", "duration", "60s");
    opt("timeout", "Per-request timeout.", "duration", "2s");
    opt("retries", "Extra attempts after a connect failure or a 5xx.", "n", "0");
    opt("bearer-env", "Environment variable holding a bearer token.", "var");
    opt("basic-user", "User name for HTTP Basic auth (with --basic-env).", "user");
    opt("basic-env", "Environment variable holding the Basic auth password.", "var");
    opt("ca", "Extra trusted CA certificate (PEM) for https endpoints.", "file");
    parser.addPositionalArgument(QStringLiteral("url"),
                                 QStringLiteral("Metrics endpoints (http:// or https://)."),
                                 QStringLiteral("URL..."));
    if (const auto done = parseArguments(parser, args, QStringLiteral("scrape")))
        return *done;
    const QStringList urls = parser.positionalArguments();
    if (urls.isEmpty())
        return fail(QStringLiteral("scrape: no URL given (vigil scrape URL... --out scrape.json)"));
    const QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty())
        return fail(QStringLiteral("scrape: --out FILE.json is required ('-' for stdout)"));
    const auto interval = parseDurationArg(parser.value(QStringLiteral("interval")));
    const auto duration = parseDurationArg(parser.value(QStringLiteral("duration")));
    const auto timeout = parseDurationArg(parser.value(QStringLiteral("timeout")));
    if (!interval || interval->count() <= 0)
        return fail(QStringLiteral("scrape: --interval must be a positive duration such as 5s or 500ms"));
    if (!duration)
        return fail(QStringLiteral("scrape: --duration must be a duration such as 60s"));
    if (!timeout || timeout->count() <= 0)
        return fail(QStringLiteral("scrape: --timeout must be a positive duration such as 2s"));
    bool retriesOk = false;
    const int retries = parser.value(QStringLiteral("retries")).toInt(&retriesOk);
    if (!retriesOk || retries < 0)
        return fail(QStringLiteral("scrape: --retries must be a whole number >= 0"));

    HttpRequestOptions options;
    options.timeoutSeconds = static_cast<double>(timeout->count()) / 1000.0;
    options.retries = retries;
    options.caFile = parser.value(QStringLiteral("ca")).toStdString();
    if (parser.isSet(QStringLiteral("bearer-env")) && parser.isSet(QStringLiteral("basic-env")))
        return fail(QStringLiteral("scrape: give either --bearer-env or --basic-env, not both"));
    if (parser.isSet(QStringLiteral("basic-env")) != parser.isSet(QStringLiteral("basic-user")))
        return fail(QStringLiteral("scrape: --basic-env and --basic-user go together"));
    if (parser.isSet(QStringLiteral("bearer-env"))) {
        options.auth.kind = HttpAuth::Kind::Bearer;
        options.auth.secretEnv = parser.value(QStringLiteral("bearer-env")).toStdString();
    } else if (parser.isSet(QStringLiteral("basic-env"))) {
        options.auth.kind = HttpAuth::Kind::Basic;
        options.auth.user = parser.value(QStringLiteral("basic-user")).toStdString();
        options.auth.secretEnv = parser.value(QStringLiteral("basic-env")).toStdString();
    }
    std::vector<ScrapeTarget> targets;
    for (const QString& url : urls)
        targets.push_back({url.toStdString(), options});

    Scraper scraper(std::move(targets));
    scraper.setPublishEachRound(false); // only the final state is written
    scraper.run({}, *interval, *duration);
    const auto snap = scraper.snapshot();

    const std::string text = toJson(*snap);
    if (out == QStringLiteral("-")) {
        std::fwrite(text.data(), 1, text.size(), stdout);
    } else {
        QSaveFile file(out);
        if (!file.open(QIODevice::WriteOnly) ||
            file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()) ||
            !file.commit())
            return fail(QStringLiteral("cannot write %1: %2").arg(out, file.errorString()));
    }
    int readable = 0;
    for (const EndpointState& ep : snap->endpoints) {
        if (!ep.goodScrapesMs.empty())
            ++readable;
        if (ep.failures > 0)
            std::fputs(fmt::format("vigil: {}: {} ({} of {} scrapes failed)\n", ep.url,
                                   ep.lastError.empty() ? "recovered" : ep.lastError, ep.failures, ep.scrapes)
                           .c_str(),
                       stderr);
    }
    return readable > 0 ? kExitOk : kExitFailure;
}

} // namespace vigil::cli
