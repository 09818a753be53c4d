#include "ingest/infer_detail.h"
#include "ingest/load.h"

#include "ingest/infer_sample.h"
#include "ingest/row_sink.h"
#include "ingest/text_util.h"
#include "ingest/timestamp.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace vigil::ingest {

namespace {

std::string lastComponent(const std::string& path)
{
    const auto dot = path.rfind('.');
    return toLower(dot == std::string::npos ? path : path.substr(dot + 1));
}

std::string firstComponent(const std::string& path)
{
    return toLower(path.substr(0, path.find('.')));
}

struct RoleNames
{
    FieldRole role;
    std::vector<std::string_view> names;
};

const std::vector<RoleNames>& roleNames()
{
    static const std::vector<RoleNames> kNames = {
        {FieldRole::Timestamp,
         {"ts", "timestamp", "time", "event_time", "@timestamp", "datetime", "created_at", "event_timestamp",
          "eventtime", "time_stamp", "logged_at", "request_time", "date", "timestamp_ms", "ts_ms"}},
        {FieldRole::RequestId,
         {"request_id", "requestid", "req_id", "trace_id", "traceid", "id", "prediction_id", "event_id",
          "uuid"}},
        {FieldRole::Model, {"model", "model_name", "modelname", "model_id"}},
        {FieldRole::Version, {"version", "model_version", "modelversion", "model_ver"}},
        {FieldRole::Latency,
         {"latency_ms", "latency", "duration_ms", "response_time_ms", "elapsed_ms", "inference_time_ms",
          "latency_s", "latency_sec", "latency_seconds", "duration_s", "duration_seconds", "duration",
          "response_time", "elapsed"}},
        {FieldRole::Status,
         {"status", "status_code", "http_status", "error", "success", "error_code", "is_error", "failed",
          "ok"}},
        {FieldRole::Prediction,
         {"prediction", "score", "pred", "y_pred", "probability", "output", "predicted", "proba", "prob",
          "predicted_label"}},
        {FieldRole::Label, {"label", "y_true", "target", "ground_truth", "actual", "truth", "y"}},
    };
    return kNames;
}

bool isFeatureObject(const std::string& first)
{
    return first == "features" || first == "inputs" || first == "feature" || first == "input";
}

bool isKpiObject(const std::string& first)
{
    return first == "kpi" || first == "kpis" || first == "business";
}

ValueType valueType(const FieldStats& f)
{
    const std::size_t kinds = (f.numbers > 0 || f.nonFiniteStrings > 0 ? 1 : 0) +
                              (f.strings > f.nonFiniteStrings ? 1 : 0) + (f.bools > 0 ? 1 : 0) +
                              (f.objects > 0 ? 1 : 0) + (f.arrays > 0 ? 1 : 0);
    if (kinds == 0)
        return ValueType::Null;
    if (kinds > 1)
        return ValueType::Mixed;
    if (f.numbers > 0)
        return ValueType::Number;
    if (f.strings > 0)
        return ValueType::String;
    if (f.bools > 0)
        return ValueType::Bool;
    return f.objects > 0 ? ValueType::Object : ValueType::Array;
}

bool fitsRole(FieldRole role, const FieldStats& f)
{
    const ValueType t = valueType(f);
    switch (role) {
    case FieldRole::Timestamp: {
        if (t != ValueType::Number && t != ValueType::String && t != ValueType::Mixed)
            return false;
        // Most sampled values must parse, else this is not the timestamp.
        std::size_t good = 0, total = 0;
        for (double v : f.numberValues)
            good += epochToMs(v, TimestampUnit::Auto).has_value(), ++total;
        for (const std::string& s : f.stringValues)
            good += textTimestampToMs(s, TimestampUnit::Auto).has_value(), ++total;
        return total > 0 && good * 2 > total;
    }
    case FieldRole::Latency:
        return t == ValueType::Number;
    case FieldRole::Status:
    case FieldRole::Model:
    case FieldRole::Version:
    case FieldRole::RequestId:
    case FieldRole::Prediction:
    case FieldRole::Label:
        return t == ValueType::Number || t == ValueType::String || t == ValueType::Bool ||
               t == ValueType::Null || t == ValueType::Mixed;
    default:
        return false;
    }
}

void setRole(FieldInfo& info, FieldMapping& m, FieldRole role, const std::string& reason)
{
    info.role = role;
    info.reason = reason;
    switch (role) {
    case FieldRole::Timestamp:
        m.timestamp = info.path;
        break;
    case FieldRole::RequestId:
        m.requestId = info.path;
        break;
    case FieldRole::Model:
        m.model = info.path;
        break;
    case FieldRole::Version:
        m.version = info.path;
        break;
    case FieldRole::Latency:
        m.latency = info.path;
        break;
    case FieldRole::Status:
        m.status = info.path;
        break;
    case FieldRole::Prediction:
        m.prediction = info.path;
        break;
    case FieldRole::Label:
        m.label = info.path;
        break;
    case FieldRole::NumericFeature:
        m.numericFeatures.push_back(info.path);
        break;
    case FieldRole::CategoricalFeature:
        m.categoricalFeatures.push_back(info.path);
        break;
    case FieldRole::Kpi:
        m.kpis.push_back(info.path);
        break;
    case FieldRole::Ignored:
        break;
    }
}

void assignRoles(const Sample& sample, InferredSchema& schema)
{
    FieldMapping& m = schema.mapping;
    m = FieldMapping{};
    schema.fields.clear();
    for (const FieldStats& f : sample.fields) {
        const std::size_t nulls = sample.rows >= f.seen ? sample.rows - f.seen : 0;
        schema.fields.push_back(
            FieldInfo{f.path, valueType(f), FieldRole::Ignored, f.seen, nulls, f.example, {}});
    }
    std::vector<bool> claimed(sample.fields.size(), false);
    // Roles by name: the earliest name in each list wins over later ones.
    for (const RoleNames& rn : roleNames()) {
        bool found = false;
        for (std::string_view name : rn.names) {
            for (std::size_t i = 0; i < sample.fields.size() && !found; ++i) {
                const FieldStats& f = sample.fields[i];
                if (claimed[i] || !f.topLevel || toLower(f.path) != name || !fitsRole(rn.role, f))
                    continue;
                std::string reason = "name matches '" + std::string(name) + "'";
                if (rn.role == FieldRole::Latency && latencyNameIsSeconds(f.path))
                    reason += "; in seconds, converted to ms";
                if (rn.role == FieldRole::Status && statusNameIsErrorFlag(f.path))
                    reason += "; true, non-zero or text means error, null means ok";
                setRole(schema.fields[i], m, rn.role, reason);
                claimed[i] = true;
                found = true;
            }
            if (found)
                break;
        }
    }
    for (std::size_t i = 0; i < sample.fields.size(); ++i) {
        if (claimed[i])
            continue;
        const FieldStats& f = sample.fields[i];
        FieldInfo& info = schema.fields[i];
        const std::string first = firstComponent(f.path);
        const std::string last = lastComponent(f.path);
        const ValueType t = info.type;
        if (t == ValueType::Object || t == ValueType::Array) {
            info.reason = t == ValueType::Array ? "arrays are not analysed" : "empty object";
            continue;
        }
        if (!f.topLevel && isKpiObject(first)) {
            if (t == ValueType::Number || t == ValueType::Bool || t == ValueType::Null)
                setRole(info, m, FieldRole::Kpi, "inside '" + first + "'");
            else
                info.reason = "inside '" + first + "' but not numeric";
            continue;
        }
        if (!f.topLevel && isFeatureObject(first)) {
            if (t == ValueType::Number)
                setRole(info, m, FieldRole::NumericFeature, "inside '" + first + "', numeric values");
            else if (t == ValueType::Null)
                setRole(info, m, FieldRole::NumericFeature, "inside '" + first + "', only nulls sampled");
            else
                setRole(info, m, FieldRole::CategoricalFeature, "inside '" + first + "', non-numeric values");
            continue;
        }
        bool roleName = false;
        for (const RoleNames& rn : roleNames()) {
            for (std::string_view name : rn.names)
                roleName = roleName || (f.topLevel && toLower(f.path) == name);
        }
        if (roleName) {
            info.reason = "name of another role, which is taken or does not fit its values";
            continue;
        }
        const bool idName = last == "id" ||
                            (last.size() > 3 && last.compare(last.size() - 3, 3, "_id") == 0) ||
                            (last.size() > 2 && last.compare(last.size() - 2, 2, "id") == 0 &&
                             f.path.size() > 2 && f.path[f.path.size() - 2] == 'I');
        if (idName) {
            info.reason = "looks like an identifier";
            continue;
        }
        if (t == ValueType::Number) {
            setRole(info, m, FieldRole::NumericFeature, "numeric field with no other role");
        } else if (t == ValueType::String || t == ValueType::Bool || t == ValueType::Mixed) {
            if (f.seen >= 2 && f.distinct.size() * 2 > f.seen)
                info.reason = "more than 50% distinct values (an id or free text)";
            else
                setRole(info, m, FieldRole::CategoricalFeature, "text field with few distinct values");
        } else {
            info.reason = "only nulls sampled";
        }
    }
}

FieldInfo* findField(InferredSchema& schema, const std::string& path)
{
    for (FieldInfo& f : schema.fields) {
        if (f.path == path)
            return &f;
    }
    return nullptr;
}

const FieldStats* findStats(const Sample& sample, const std::string& path)
{
    auto it = sample.index.find(path);
    return it == sample.index.end() ? nullptr : &sample.fields[it->second];
}

bool looksPositive(std::string_view v)
{
    for (std::string_view p : {"1", "yes", "true", "positive", "pos", "y", "churn", "fraud", "spam", "t"}) {
        if (iequals(v, p))
            return true;
    }
    return false;
}

void resolveTimestampUnit(const Sample& sample, InferredSchema& schema, bool overridden)
{
    FieldMapping& m = schema.mapping;
    const FieldStats* f = findStats(sample, m.timestamp);
    if (overridden || f == nullptr)
        return;
    std::string what;
    if (!f->numberValues.empty()) {
        m.timestampUnit = unitForMagnitude(f->numberValues.front());
        what = "epoch " + std::string(toString(m.timestampUnit));
    } else if (!f->stringValues.empty()) {
        const std::string_view s = trimSpaces(f->stringValues.front());
        if (auto n = parseNumberText(s)) {
            m.timestampUnit = unitForMagnitude(*n);
            what = "epoch " + std::string(toString(m.timestampUnit)) + " as text";
        } else {
            m.timestampUnit = TimestampUnit::Iso8601;
            what = "ISO-8601 text";
        }
    }
    if (FieldInfo* info = findField(schema, m.timestamp); info && !what.empty())
        info->reason += "; " + what;
}

void resolvePrediction(const Sample& sample, InferredSchema& schema, bool kindOverridden,
                       bool positiveOverridden)
{
    FieldMapping& m = schema.mapping;
    const FieldStats* pred = findStats(sample, m.prediction);
    const FieldStats* label = findStats(sample, m.label);
    std::string why;
    if (!kindOverridden && pred != nullptr) {
        const bool predText = pred->strings > pred->nonFiniteStrings;
        const bool predNumeric = pred->numbers > 0 && !predText && pred->bools == 0;
        const bool noLabels = label == nullptr || label->seen == 0;
        const bool labelText = label && label->strings > label->nonFiniteStrings;
        const bool labelBinary = label && !labelText && label->allZeroOne;
        const bool labelIntegers = label && label->numbers > 0 && !labelText && !label->anyNonInteger;
        if (predNumeric && pred->allInUnit && pred->anyNonInteger && (noLabels || labelBinary || labelText)) {
            m.predictionKind = PredictionKind::Score;
            why = "scores in [0,1]";
        } else if (predText || pred->bools > 0) {
            m.predictionKind = PredictionKind::ClassLabel;
            why = predText ? "text class labels" : "boolean class labels";
        } else if (predNumeric && !pred->anyNonInteger && labelIntegers) {
            m.predictionKind = PredictionKind::ClassLabel;
            why = "integer class labels";
        } else if (predNumeric) {
            m.predictionKind = PredictionKind::Regression;
            why = "numeric values outside [0,1] or without fractions";
        }
    }
    // Text classes such as "yes"/"no": pick the positive one when "1" never occurs.
    if (!positiveOverridden) {
        std::vector<std::string> values;
        for (const FieldStats* f : {pred, label}) {
            if (f == nullptr)
                continue;
            for (const std::string& s : f->distinct)
                values.push_back(s);
        }
        std::sort(values.begin(), values.end());
        const bool hasDefault = std::any_of(values.begin(), values.end(), [&](const std::string& v) {
            return iequals(v, m.positiveClass) || (m.positiveClass == "1" && iequals(v, "true"));
        });
        if (!values.empty() && !hasDefault) {
            for (const std::string& v : values) {
                if (looksPositive(v)) {
                    m.positiveClass = v;
                    break;
                }
            }
            if (!why.empty() || m.predictionKind != PredictionKind::Auto)
                why += (why.empty() ? "" : "; ") + std::string("positive class '") + m.positiveClass + "'";
        }
    }
    if (FieldInfo* info = findField(schema, m.prediction); info && !why.empty())
        info->reason += "; " + why;
}

} // namespace

LogFormat sniffFormat(std::string_view text)
{
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '{' ? LogFormat::Jsonl : LogFormat::Csv;
    }
    return LogFormat::Jsonl;
}

Result<InferredSchema> inferSchemaWithOverrides(std::string_view text, LogFormat format,
                                                const MappingOverrides& overrides)
{
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    if (format == LogFormat::Auto)
        format = sniffFormat(text);
    Sample sample;
    if (format == LogFormat::Csv)
        sampleCsv(text, sample);
    else
        sampleJsonl(text, sample);
    if (sample.rows == 0) {
        if (sample.malformed > 0)
            return Error{"no usable rows: all " + std::to_string(sample.malformed) +
                         " sampled lines are malformed" +
                         (sample.firstProblem.empty() ? "" : " (" + sample.firstProblem + ")")};
        return Error{"empty file"};
    }
    InferredSchema schema;
    schema.format = format;
    schema.sampledRows = sample.rows;
    assignRoles(sample, schema);
    applyOverrides(overrides, schema);
    resolveTimestampUnit(sample, schema, overrides.timestampUnit.has_value());
    resolvePrediction(sample, schema, overrides.predictionKind.has_value(),
                      overrides.positiveClass.has_value());
    Result<InferredSchema> result(std::move(schema));
    if (sample.malformed > 0)
        result.warnings.push_back(std::to_string(sample.malformed) + " of the sampled lines are malformed");
    if (result->mapping.timestamp.empty())
        result.warnings.push_back("no timestamp field found; set mapping.timestamp in the config");
    return result;
}

} // namespace vigil::ingest

namespace vigil {

Result<InferredSchema> inferSchema(std::string_view text, LogFormat format)
{
    try {
        return ingest::inferSchemaWithOverrides(text, format, MappingOverrides{});
    } catch (const std::exception& e) {
        return Error{std::string("schema inference failed: ") + e.what()};
    }
}

} // namespace vigil
