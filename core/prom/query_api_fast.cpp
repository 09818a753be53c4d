#include "prom/query_api_fast.h"

#include "prom/number_parse.h"

#include <algorithm>
#include <cmath>

namespace vigil::prom {
namespace {

namespace od = simdjson::ondemand;

bool stringList(od::value v, std::vector<std::string>& out)
{
    bool isNull = false;
    if (v.is_null().get(isNull))
        return false;
    if (isNull)
        return true;
    od::array a;
    if (v.get_array().get(a))
        return false;
    for (auto item : a) {
        std::string_view s;
        if (item.get_string().get(s))
            return false;
        out.emplace_back(s);
    }
    return true;
}

bool labelSet(od::value v, PromLabelSet& out)
{
    od::object o;
    if (v.get_object().get(o))
        return false;
    for (auto field : o) {
        std::string_view key;
        std::string_view value;
        if (field.unescaped_key().get(key))
            return false;
        std::string name(key); // the key's buffer is reused by the value's unescaping
        if (field.value().get_string().get(value))
            return false;
        out.emplace_back(std::move(name), std::string(value));
    }
    std::sort(out.begin(), out.end());
    return true;
}

// [<unix seconds>, "<value>"], exactly two elements, as the DOM decoder demands.
bool point(od::value v, PromPoint& out)
{
    od::array pair;
    if (v.get_array().get(pair))
        return false;
    int n = 0;
    for (auto item : pair) {
        if (n == 0) {
            double seconds = 0;
            if (item.get_double().get(seconds) || !std::isfinite(seconds))
                return false;
            out.timestampMs = secondsToMsSaturated(seconds);
        } else if (n == 1) {
            std::string_view text;
            if (item.get_string().get(text))
                return false;
            const auto value = parseFloat(text);
            if (!value)
                return false;
            out.value = *value;
        } else {
            return false;
        }
        ++n;
    }
    return n == 2;
}

bool series(od::value v, bool matrix, QuerySeries& out)
{
    od::object o;
    if (v.get_object().get(o))
        return false;
    for (auto field : o) {
        std::string_view key;
        if (field.unescaped_key().get(key))
            return false;
        od::value value;
        if (field.value().get(value))
            return false;
        if (key == "metric") {
            if (!labelSet(value, out.metric))
                return false;
        } else if (matrix && key == "values") {
            od::array values;
            if (value.get_array().get(values))
                return false;
            for (auto item : values) {
                od::value pv;
                PromPoint p;
                if (item.get(pv) || !point(pv, p))
                    return false;
                out.values.push_back(p);
            }
        } else if (!matrix && key == "value") {
            PromPoint p;
            if (!point(value, p))
                return false;
            out.values.push_back(p);
        } else {
            return false; // histograms and anything unexpected: the DOM decoder's case
        }
    }
    return true;
}

bool data(od::value v, QueryResponse& r)
{
    od::object o;
    if (v.get_object().get(o))
        return false;
    bool sawType = false;
    bool sawResult = false;
    for (auto field : o) {
        std::string_view key;
        if (field.unescaped_key().get(key))
            return false;
        od::value value;
        if (field.value().get(value))
            return false;
        if (key == "resultType" && !sawType) {
            std::string_view type;
            if (value.get_string().get(type))
                return false;
            if (type == "matrix")
                r.resultType = QueryResultType::Matrix;
            else if (type == "vector")
                r.resultType = QueryResultType::Vector;
            else
                return false;
            sawType = true;
        } else if (key == "result" && sawType && !sawResult) {
            od::array items;
            if (value.get_array().get(items))
                return false;
            const bool matrix = r.resultType == QueryResultType::Matrix;
            for (auto item : items) {
                od::value sv;
                if (item.get(sv))
                    return false;
                QuerySeries s;
                if (!series(sv, matrix, s))
                    return false;
                r.series.push_back(std::move(s));
            }
            sawResult = true;
        } else {
            return false;
        }
    }
    r.dataKind = QueryDataKind::QueryResult;
    return sawResult;
}

} // namespace

std::optional<QueryResponse> decodeQueryResultFast(const simdjson::padded_string& json)
{
    od::parser parser;
    od::document doc;
    if (parser.iterate(json).get(doc))
        return std::nullopt;
    od::object root;
    if (doc.get_object().get(root))
        return std::nullopt;
    QueryResponse r;
    bool sawStatus = false;
    bool sawData = false;
    bool sawWarnings = false;
    bool sawInfos = false;
    for (auto field : root) {
        std::string_view key;
        if (field.unescaped_key().get(key))
            return std::nullopt;
        od::value value;
        if (field.value().get(value))
            return std::nullopt;
        if (key == "status" && !sawStatus) {
            std::string_view status;
            if (value.get_string().get(status) || status != "success")
                return std::nullopt;
            sawStatus = true;
        } else if (key == "data" && !sawData) {
            if (!data(value, r))
                return std::nullopt;
            sawData = true;
        } else if (key == "warnings" && !sawWarnings) {
            if (!stringList(value, r.warnings))
                return std::nullopt;
            sawWarnings = true;
        } else if (key == "infos" && !sawInfos) {
            if (!stringList(value, r.infos))
                return std::nullopt;
            sawInfos = true;
        } else {
            return std::nullopt;
        }
    }
    // A location still in bounds after the root object is trailing content.
    const char* trailing = nullptr;
    if (!sawStatus || !sawData || doc.current_location().get(trailing) == simdjson::SUCCESS)
        return std::nullopt;
    r.success = true;
    return r;
}

} // namespace vigil::prom
