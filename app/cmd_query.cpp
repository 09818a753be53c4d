// vigil query --prometheus URL --query PROMQL [--time T | --start T --end T [--step S]]
//             [--labels | --label-values NAME | --series MATCHER...] --out FILE.json
#include "cli_common.h"
#include "cli_time.h"
#include "prom_json.h"

#include "net/prom_query_client.h"
#include "report/json_writer.h"

#include <QSaveFile>
#include <chrono>
#include <cmath>
#include <fmt/format.h>

namespace vigil::cli {
namespace {

void writeHistogram(JsonWriter& w, const NativeHistogramSample& h)
{
    w.beginObject().field("t", h.timestampMs);
    w.key("count");
    writePromNumber(w, h.count);
    w.key("sum");
    writePromNumber(w, h.sum);
    w.key("buckets").beginArray();
    for (const auto& b : h.buckets) {
        w.beginArray().value(b.boundaryRule);
        writePromNumber(w, b.lower);
        writePromNumber(w, b.upper);
        writePromNumber(w, b.count);
        w.endArray();
    }
    w.endArray().endObject();
}

const char* resultTypeName(QueryResultType t)
{
    switch (t) {
    case QueryResultType::Matrix:
        return "matrix";
    case QueryResultType::Vector:
        return "vector";
    case QueryResultType::Scalar:
        return "scalar";
    case QueryResultType::String:
        return "string";
    case QueryResultType::None:
        break;
    }
    return "none";
}

struct RequestInfo
{
    std::string kind; // query, query_range, labels, label_values, series
    std::string url;  // never holds a secret: credentials travel in headers only
    std::string query;
    std::optional<std::int64_t> timeMs, startMs, endMs, stepMs;
};

void writeOptionalInt(JsonWriter& w, const char* key, const std::optional<std::int64_t>& v)
{
    w.key(key);
    if (v)
        w.value(*v);
    else
        w.null();
}

std::string toJson(const RequestInfo& req, const QueryResponse& r)
{
    JsonWriter w(0); // compact: a range answer can hold millions of points
    w.beginObject();
    w.key("request").beginObject().field("kind", req.kind).field("url", req.url);
    if (!req.query.empty())
        w.field("query", req.query);
    writeOptionalInt(w, "time_ms", req.timeMs);
    writeOptionalInt(w, "start_ms", req.startMs);
    writeOptionalInt(w, "end_ms", req.endMs);
    writeOptionalInt(w, "step_ms", req.stepMs);
    w.endObject();
    w.field("status", "success");
    for (const auto& [key, list] : {std::pair{"warnings", &r.warnings}, std::pair{"infos", &r.infos}}) {
        w.key(key).beginArray();
        for (const auto& s : *list)
            w.value(s);
        w.endArray();
    }
    switch (r.dataKind) {
    case QueryDataKind::QueryResult:
        w.field("result_type", resultTypeName(r.resultType));
        if (r.resultType == QueryResultType::Scalar) {
            w.key("scalar");
            writePromPoint(w, r.scalar);
        } else if (r.resultType == QueryResultType::String) {
            w.key("string").beginArray().value(r.stringTimeMs).value(r.stringValue).endArray();
        } else {
            w.key("series").beginArray();
            for (const QuerySeries& s : r.series) {
                w.beginObject();
                writePromLabels(w, "metric", s.metric);
                w.key("points").beginArray();
                for (const auto& p : s.values)
                    writePromPoint(w, p);
                w.endArray();
                if (!s.histograms.empty()) {
                    w.key("histograms").beginArray();
                    for (const auto& h : s.histograms)
                        writeHistogram(w, h);
                    w.endArray();
                }
                w.endObject();
            }
            w.endArray();
        }
        break;
    case QueryDataKind::StringList:
        w.key("values").beginArray();
        for (const auto& s : r.strings)
            w.value(s);
        w.endArray();
        break;
    case QueryDataKind::LabelSets:
        w.key("series").beginArray();
        for (const auto& labels : r.labelSets) {
            w.beginObject();
            writePromLabels(w, "metric", labels);
            w.endObject();
        }
        w.endArray();
        break;
    case QueryDataKind::None:
        break;
    }
    w.endObject();
    std::string out = w.take();
    out += '\n';
    return out;
}

// The base URL for messages, with any "user:password@" masked: such URLs are refused,
// but the refusal must not print the password it refuses.
std::string displayUrl(const std::string& url)
{
    const std::size_t scheme = url.find("://");
    const std::size_t from = scheme == std::string::npos ? 0 : scheme + 3;
    const std::size_t authorityEnd = url.find_first_of("/?#", from);
    const std::size_t at = url.rfind('@', authorityEnd == std::string::npos ? url.size() : authorityEnd);
    if (at == std::string::npos || at < from)
        return url;
    return url.substr(0, from) + "***" + url.substr(at);
}

std::int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

int runQuery(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Ask a Prometheus-compatible server (HTTP API v1) and write the decoded answer as JSON."));
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
    opt("prometheus", "Base URL of the server, e.g. http://localhost:9090.", "url");
    opt("query", "PromQL expression.", "promql");
    opt("time", "Evaluation time of an instant query (default: the server's now).", "time");
    opt("start", "Range start: ISO-8601, unix s or ms, now-1h.", "time");
    opt("end", "Range end (default now when --start is given).", "time");
    opt("step", "Range step, e.g. 15s (default: chosen for --width).", "duration");
    opt("width", "Chart width in pixels the default step is chosen for.", "px", "1000");
    opt("labels", "List label names (with --match, --start, --end).");
    opt("label-values", "List the values of a label (with --match, --start, --end).", "name");
    opt("series", "List the series matching a selector (repeatable).", "matcher");
    opt("match", "Series selector restricting --labels / --label-values (repeatable).", "matcher");
    opt("out", "Output JSON file ('-' for stdout).", "file");
    opt("timeout", "Request timeout.", "duration", "30s");
    opt("bearer-env", "Environment variable holding a bearer token.", "var");
    opt("basic-user", "User name for HTTP Basic auth (with --basic-env).", "user");
    opt("basic-env", "Environment variable holding the Basic auth password.", "var");
    opt("ca", "Extra trusted CA certificate (PEM) for https servers.", "file");
    if (const auto done = parseArguments(parser, args, QStringLiteral("query")))
        return *done;
    const auto has = [&](const char* name) { return parser.isSet(QString::fromLatin1(name)); };
    const auto value = [&](const char* name) { return parser.value(QString::fromLatin1(name)); };

    const QString base = value("prometheus");
    if (base.isEmpty())
        return fail(QStringLiteral("query: --prometheus URL is required (e.g. http://localhost:9090)"));
    const QString out = value("out");
    if (out.isEmpty())
        return fail(QStringLiteral("query: --out FILE.json is required ('-' for stdout)"));
    const int modes = int(has("query")) + int(has("labels")) + int(has("label-values")) + int(has("series"));
    if (modes != 1)
        return fail(QStringLiteral("query: give exactly one of --query, --labels, --label-values, --series"));

    const std::int64_t now = nowMs();
    const auto timeOption = [&](const char* name) -> std::optional<std::optional<std::int64_t>> {
        if (!has(name))
            return std::optional<std::int64_t>{};
        const auto t = parseTimeMs(value(name), now);
        if (!t) {
            fail(QStringLiteral("query: bad --%1 '%2' (ISO-8601, unix seconds or ms, now, now-1h)")
                     .arg(QString::fromLatin1(name), value(name)));
            return std::nullopt;
        }
        return t;
    };
    const auto time = timeOption("time");
    const auto start = timeOption("start");
    const auto end = timeOption("end");
    if (!time || !start || !end)
        return kExitFailure;
    const auto timeout = parseDurationMs(value("timeout"));
    if (!timeout || *timeout <= 0)
        return fail(QStringLiteral("query: --timeout must be a positive duration such as 30s"));

    HttpRequestOptions options;
    options.timeoutSeconds = static_cast<double>(*timeout) / 1000.0;
    options.caFile = value("ca").toStdString();
    if (has("bearer-env") && has("basic-env"))
        return fail(QStringLiteral("query: give either --bearer-env or --basic-env, not both"));
    if (has("basic-env") != has("basic-user"))
        return fail(QStringLiteral("query: --basic-env and --basic-user go together"));
    if (has("bearer-env")) {
        options.auth.kind = HttpAuth::Kind::Bearer;
        options.auth.secretEnv = value("bearer-env").toStdString();
    } else if (has("basic-env")) {
        options.auth.kind = HttpAuth::Kind::Basic;
        options.auth.user = value("basic-user").toStdString();
        options.auth.secretEnv = value("basic-env").toStdString();
    }
    PromQueryClient client(base.toStdString(), options);
    const std::string baseUrl = displayUrl(client.baseUrl());

    std::vector<std::string> matchers;
    for (const QString& m : parser.values(has("series") ? QStringLiteral("series") : QStringLiteral("match")))
        matchers.push_back(m.toStdString());

    RequestInfo info;
    PromApiRequest request;
    if (has("query")) {
        info.query = value("query").toStdString();
        if (start->has_value()) {
            if (time->has_value())
                return fail(
                    QStringLiteral("query: give --time (instant) or --start/--end (range), not both"));
            info.kind = "query_range";
            info.startMs = **start;
            info.endMs = end->value_or(now);
            if (has("step")) {
                const auto step = parseDurationMs(value("step"));
                if (!step || *step <= 0)
                    return fail(QStringLiteral("query: --step must be a positive duration such as 15s"));
                info.stepMs = *step;
            } else {
                bool ok = false;
                const int width = value("width").toInt(&ok);
                if (!ok || width <= 0)
                    return fail(QStringLiteral("query: --width must be a positive number of pixels"));
                info.stepMs = chooseStep(*info.startMs, *info.endMs, width);
            }
            auto range = PromQueryClient::rangeQuery(info.query, *info.startMs, *info.endMs, *info.stepMs);
            if (!range)
                return fail(fmt::format("{}: {}", baseUrl, range.error().message));
            request = std::move(range.value());
        } else {
            if (end->has_value() || has("step"))
                return fail(QStringLiteral("query: --end and --step need --start (a range query)"));
            info.kind = "query";
            info.timeMs = *time;
            request = PromQueryClient::instantQuery(info.query, *time);
        }
    } else {
        info.startMs = *start;
        info.endMs = *end;
        if (has("labels")) {
            info.kind = "labels";
            request = PromQueryClient::labelNames(matchers, *start, *end);
        } else if (has("label-values")) {
            info.kind = "label_values";
            request =
                PromQueryClient::labelValues(value("label-values").toStdString(), matchers, *start, *end);
        } else {
            info.kind = "series";
            request = PromQueryClient::series(matchers, *start, *end);
        }
    }
    info.url = client.url(request);

    auto answer = client.send(request).get();
    for (const auto& warning : answer.warnings)
        std::fputs(fmt::format("vigil: warning from {}: {}\n", baseUrl, warning).c_str(), stderr);
    if (!answer)
        return fail(fmt::format("{}: {}", baseUrl, answer.error().message));

    const std::string text = toJson(info, answer.value());
    if (out == QStringLiteral("-")) {
        std::fwrite(text.data(), 1, text.size(), stdout);
        return kExitOk;
    }
    QSaveFile file(out);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()) ||
        !file.commit())
        return fail(QStringLiteral("cannot write %1: %2").arg(out, file.errorString()));
    return kExitOk;
}

} // namespace vigil::cli
