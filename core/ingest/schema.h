#pragma once
// Which field of the log plays which role. Inferred from the first rows, shown to
// the user, and overridable from a config file or the mapping dialog.
#include <optional>
#include <string>
#include <vector>

namespace vigil {

enum class LogFormat
{
    Auto,
    Jsonl,
    Csv
};
enum class TimestampUnit
{
    Auto,
    Seconds,
    Millis,
    Micros,
    Nanos,
    Iso8601
};
enum class PredictionKind
{
    Auto,
    Score,
    ClassLabel,
    Regression
};
enum class ValueType
{
    Null,
    Number,
    String,
    Bool,
    Object,
    Array,
    Mixed
};

enum class FieldRole
{
    Ignored,
    Timestamp,
    RequestId,
    Model,
    Version,
    Latency,
    Status,
    Prediction,
    Label,
    NumericFeature,
    CategoricalFeature,
    Kpi,
};

const char* toString(FieldRole role);
const char* toString(TimestampUnit unit);
const char* toString(PredictionKind kind);
const char* toString(LogFormat format);

// Field names are dotted paths: "features.amount" is key "amount" of object "features";
// in CSV it is the column header itself.
struct FieldMapping
{
    std::string timestamp;
    TimestampUnit timestampUnit = TimestampUnit::Auto;
    std::string requestId;
    std::string model;
    std::string version;
    std::string latency;
    std::string status;
    // A status value counts as ok when it is in this list (case-insensitive), or is
    // boolean true / numeric 0 (error code 0) / an HTTP code below 400.
    std::vector<std::string> okStatusValues = {"ok", "success", "succeeded", "true"};
    std::string prediction;
    PredictionKind predictionKind = PredictionKind::Auto;
    std::string label;
    std::string positiveClass = "1"; // for class labels given as strings or ints
    std::vector<std::string> numericFeatures;
    std::vector<std::string> categoricalFeatures;
    std::vector<std::string> kpis; // dotted paths; the KPI's name is the last component
};

// One field as seen in the sampled rows, with the role given to it and why.
struct FieldInfo
{
    std::string path;
    ValueType type = ValueType::Null;
    FieldRole role = FieldRole::Ignored;
    std::size_t seen = 0;  // sampled rows where present and not null
    std::size_t nulls = 0; // sampled rows where missing or null
    std::string example;   // first non-null value, as text
    std::string reason;    // "name matches 'ts'", "overridden by config", ...
};

struct InferredSchema
{
    LogFormat format = LogFormat::Auto;
    FieldMapping mapping;
    std::vector<FieldInfo> fields;
    std::size_t sampledRows = 0;
};

} // namespace vigil
