#include "prom/query_api.h"

#include "prom/number_parse.h"
#include "prom/query_api_fast.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <simdjson.h>

namespace vigil {
namespace {

namespace dom = simdjson::dom;

struct DecodeFailure
{
    std::string message;
};

[[noreturn]] void fail(const std::string& path, std::string_view what)
{
    throw DecodeFailure{fmt::format("{}: {}", path, what)};
}

dom::object asObject(dom::element e, const std::string& path)
{
    dom::object o;
    if (e.get(o) != simdjson::SUCCESS)
        fail(path, "expected an object");
    return o;
}

dom::array asArray(dom::element e, const std::string& path)
{
    dom::array a;
    if (e.get(a) != simdjson::SUCCESS)
        fail(path, "expected an array");
    return a;
}

std::string asString(dom::element e, const std::string& path)
{
    std::string_view s;
    if (e.get(s) != simdjson::SUCCESS)
        fail(path, "expected a string");
    return std::string(s);
}

// Paths for error messages are built only on failure: a matrix can hold 10^5 points.
template <typename PathFn> std::int64_t timestampMs(dom::element e, const PathFn& path)
{
    double seconds = 0;
    if (e.get(seconds) != simdjson::SUCCESS || !std::isfinite(seconds))
        fail(path(), "expected a unix time in seconds");
    // Prometheus writes at most millisecond precision (MarshalTimestamp); rounding
    // undoes the binary representation error of e.g. 1435781451.781.
    return prom::secondsToMsSaturated(seconds);
}

template <typename PathFn> double sampleValue(dom::element e, const PathFn& path)
{
    std::string_view text;
    if (e.get(text) != simdjson::SUCCESS)
        fail(path(), "expected the sample value as a string");
    const auto v = prom::parseFloat(text);
    if (!v)
        fail(path(), fmt::format("invalid sample value \"{}\"", text.substr(0, 40)));
    return *v;
}

template <typename PathFn> PromPoint pointFrom(dom::element e, const PathFn& path)
{
    dom::array pair;
    if (e.get(pair) != simdjson::SUCCESS || pair.size() != 2)
        fail(path(), "expected [<unix time>, \"<value>\"]");
    return {timestampMs(pair.at(0).value_unsafe(), [&] { return path() + "[0]"; }),
            sampleValue(pair.at(1).value_unsafe(), [&] { return path() + "[1]"; })};
}

NativeHistogramSample histogramFrom(dom::element e, const std::string& path)
{
    const dom::array pair = asArray(e, path);
    if (pair.size() != 2)
        fail(path, "expected [<unix time>, <histogram>]");
    NativeHistogramSample h;
    h.timestampMs = timestampMs(pair.at(0).value_unsafe(), [&] { return path + "[0]"; });
    const std::string hpath = path + "[1]";
    const dom::object o = asObject(pair.at(1).value_unsafe(), hpath);
    dom::element field;
    if (o["count"].get(field) == simdjson::SUCCESS)
        h.count = sampleValue(field, [&] { return hpath + ".count"; });
    if (o["sum"].get(field) == simdjson::SUCCESS)
        h.sum = sampleValue(field, [&] { return hpath + ".sum"; });
    if (o["buckets"].get(field) == simdjson::SUCCESS) {
        std::size_t i = 0;
        for (dom::element b : asArray(field, hpath + ".buckets")) {
            const std::string bpath = fmt::format("{}.buckets[{}]", hpath, i++);
            const dom::array parts = asArray(b, bpath);
            std::int64_t rule = 0;
            if (parts.size() != 4 || parts.at(0).get(rule) != simdjson::SUCCESS || rule < 0 || rule > 3)
                fail(bpath, "expected [<boundary rule 0-3>, \"<left>\", \"<right>\", \"<count>\"]");
            h.buckets.push_back({static_cast<int>(rule),
                                 sampleValue(parts.at(1).value_unsafe(), [&] { return bpath + "[1]"; }),
                                 sampleValue(parts.at(2).value_unsafe(), [&] { return bpath + "[2]"; }),
                                 sampleValue(parts.at(3).value_unsafe(), [&] { return bpath + "[3]"; })});
        }
    }
    return h;
}

PromLabelSet labelSetFrom(dom::element e, const std::string& path)
{
    PromLabelSet labels;
    for (const auto field : asObject(e, path))
        labels.emplace_back(std::string(field.key),
                            asString(field.value, fmt::format("{}.{}", path, field.key)));
    std::sort(labels.begin(), labels.end());
    return labels;
}

std::vector<std::string> stringList(dom::object root, std::string_view key)
{
    std::vector<std::string> out;
    dom::element e;
    if (root[key].get(e) != simdjson::SUCCESS || e.is_null())
        return out;
    std::size_t i = 0;
    for (dom::element s : asArray(e, std::string(key)))
        out.push_back(asString(s, fmt::format("{}[{}]", key, i++)));
    return out;
}

void decodeQueryData(dom::object data, QueryResponse& r)
{
    dom::element typeElement;
    if (data["resultType"].get(typeElement) != simdjson::SUCCESS)
        fail("data", "missing \"resultType\"");
    const std::string type = asString(typeElement, "data.resultType");
    dom::element result;
    if (data["result"].get(result) != simdjson::SUCCESS)
        fail("data", "missing \"result\"");
    r.dataKind = QueryDataKind::QueryResult;
    if (type == "scalar" || type == "string") {
        const dom::array pair = asArray(result, "data.result");
        if (pair.size() != 2)
            fail("data.result", "expected [<unix time>, \"<value>\"]");
        if (type == "scalar") {
            r.resultType = QueryResultType::Scalar;
            r.scalar = pointFrom(result, [] { return std::string("data.result"); });
        } else {
            r.resultType = QueryResultType::String;
            r.stringTimeMs =
                timestampMs(pair.at(0).value_unsafe(), [] { return std::string("data.result[0]"); });
            r.stringValue = asString(pair.at(1).value_unsafe(), "data.result[1]");
        }
        return;
    }
    const bool matrix = type == "matrix";
    if (!matrix && type != "vector")
        fail("data.resultType", fmt::format("unknown result type \"{}\"", type));
    r.resultType = matrix ? QueryResultType::Matrix : QueryResultType::Vector;
    const dom::array items = asArray(result, "data.result");
    r.series.reserve(items.size());
    std::size_t i = 0;
    for (dom::element item : items) {
        const std::string path = fmt::format("data.result[{}]", i++);
        const dom::object o = asObject(item, path);
        QuerySeries s;
        dom::element field;
        if (o["metric"].get(field) == simdjson::SUCCESS)
            s.metric = labelSetFrom(field, path + ".metric");
        if (matrix) {
            if (o["values"].get(field) == simdjson::SUCCESS) {
                const dom::array values = asArray(field, path + ".values");
                s.values.reserve(values.size());
                std::size_t j = 0;
                for (dom::element v : values) {
                    s.values.push_back(pointFrom(v, [&] { return fmt::format("{}.values[{}]", path, j); }));
                    ++j;
                }
            }
            if (o["histograms"].get(field) == simdjson::SUCCESS) {
                std::size_t j = 0;
                for (dom::element v : asArray(field, path + ".histograms"))
                    s.histograms.push_back(histogramFrom(v, fmt::format("{}.histograms[{}]", path, j++)));
            }
        } else {
            if (o["value"].get(field) == simdjson::SUCCESS)
                s.values.push_back(pointFrom(field, [&] { return path + ".value"; }));
            if (o["histogram"].get(field) == simdjson::SUCCESS)
                s.histograms.push_back(histogramFrom(field, path + ".histogram"));
        }
        r.series.push_back(std::move(s));
    }
}

QueryResponse decode(const simdjson::padded_string& padded)
{
    dom::parser parser;
    dom::element doc;
    if (const auto err = parser.parse(padded).get(doc))
        throw DecodeFailure{fmt::format("not valid JSON: {}", simdjson::error_message(err))};
    const dom::object root = asObject(doc, "response");
    QueryResponse r;
    dom::element status;
    if (root["status"].get(status) != simdjson::SUCCESS)
        fail("response", "missing \"status\"");
    const std::string statusText = asString(status, "status");
    if (statusText != "success" && statusText != "error")
        fail("status", fmt::format("unknown status \"{}\"", statusText));
    r.success = statusText == "success";
    r.warnings = stringList(root, "warnings");
    r.infos = stringList(root, "infos");
    dom::element e;
    if (root["errorType"].get(e) == simdjson::SUCCESS && !e.is_null())
        r.errorType = asString(e, "errorType");
    if (root["error"].get(e) == simdjson::SUCCESS && !e.is_null())
        r.error = asString(e, "error");
    if (!r.success)
        return r; // error responses may carry "data" too; it has no defined shape
    dom::element data;
    if (root["data"].get(data) != simdjson::SUCCESS)
        fail("response", "missing \"data\"");
    if (data.is_object()) {
        decodeQueryData(data.get_object().value_unsafe(), r);
    } else if (data.is_array()) {
        const dom::array items = data.get_array().value_unsafe();
        // An empty list is a valid answer to both /label/<n>/values and /series.
        r.dataKind = QueryDataKind::StringList;
        std::size_t i = 0;
        for (dom::element item : items) {
            const std::string path = fmt::format("data[{}]", i++);
            if (item.is_object()) {
                r.dataKind = QueryDataKind::LabelSets;
                r.labelSets.push_back(labelSetFrom(item, path));
            } else {
                r.strings.push_back(asString(item, path));
            }
        }
        if (!r.strings.empty() && !r.labelSets.empty())
            fail("data", "mixes strings and label sets");
    } else if (!data.is_null()) {
        fail("data", "expected an object or an array");
    }
    return r;
}

} // namespace

Result<QueryResponse> decodeQueryResponse(std::string_view json)
{
    try {
        const simdjson::padded_string padded(json);
        // Matrix and vector answers, the bulk of the bytes, take the one-pass path.
        if (auto fast = prom::decodeQueryResultFast(padded))
            return std::move(*fast);
        return decode(padded);
    } catch (const DecodeFailure& f) {
        return Error{"Prometheus API response: " + f.message};
    } catch (const std::exception& e) {
        return Error{fmt::format("Prometheus API response: {}", e.what())};
    }
}

int httpStatusForErrorType(std::string_view errorType)
{
    static constexpr std::pair<std::string_view, int> kCodes[] = {
        {"bad_data", 400}, {"execution", 422}, {"canceled", 499},       {"timeout", 503},
        {"internal", 500}, {"not_found", 404}, {"not_acceptable", 406}, {"unavailable", 503},
    };
    for (const auto& [type, code] : kCodes)
        if (type == errorType)
            return code;
    return 0;
}

std::int64_t chooseStep(std::int64_t startMs, std::int64_t endMs, int widthPx)
{
    constexpr std::int64_t s = 1000;
    constexpr std::int64_t m = 60 * s;
    constexpr std::int64_t h = 60 * m;
    constexpr std::int64_t d = 24 * h;
    static constexpr std::int64_t kSteps[] = {1 * s, 5 * s,  10 * s, 15 * s, 30 * s, 1 * m, 2 * m,
                                              5 * m, 10 * m, 15 * m, 30 * m, 1 * h,  2 * h, 3 * h,
                                              6 * h, 12 * h, 1 * d,  2 * d,  7 * d};
    const std::int64_t maxPoints = std::clamp<std::int64_t>(widthPx, 1, kMaxPointsPerSeries);
    const std::int64_t range = std::max<std::int64_t>(0, endMs - startMs);
    // floor(range/step) + 1 <= maxPoints  <=>  step > range / maxPoints.
    const std::int64_t minStep = range / maxPoints + 1;
    for (const std::int64_t step : kSteps)
        if (step >= minStep)
            return step;
    return (minStep + d - 1) / d * d;
}

} // namespace vigil
