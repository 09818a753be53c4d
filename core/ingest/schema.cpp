#include "ingest/schema.h"

namespace vigil {

const char* toString(FieldRole role)
{
    switch (role) {
    case FieldRole::Ignored:
        return "ignored";
    case FieldRole::Timestamp:
        return "timestamp";
    case FieldRole::RequestId:
        return "request id";
    case FieldRole::Model:
        return "model";
    case FieldRole::Version:
        return "version";
    case FieldRole::Latency:
        return "latency";
    case FieldRole::Status:
        return "status";
    case FieldRole::Prediction:
        return "prediction";
    case FieldRole::Label:
        return "label";
    case FieldRole::NumericFeature:
        return "numeric feature";
    case FieldRole::CategoricalFeature:
        return "categorical feature";
    case FieldRole::Kpi:
        return "kpi";
    }
    return "?";
}

const char* toString(TimestampUnit unit)
{
    switch (unit) {
    case TimestampUnit::Auto:
        return "auto";
    case TimestampUnit::Seconds:
        return "s";
    case TimestampUnit::Millis:
        return "ms";
    case TimestampUnit::Micros:
        return "us";
    case TimestampUnit::Nanos:
        return "ns";
    case TimestampUnit::Iso8601:
        return "iso8601";
    }
    return "?";
}

const char* toString(PredictionKind kind)
{
    switch (kind) {
    case PredictionKind::Auto:
        return "auto";
    case PredictionKind::Score:
        return "score";
    case PredictionKind::ClassLabel:
        return "class";
    case PredictionKind::Regression:
        return "regression";
    }
    return "?";
}

const char* toString(LogFormat format)
{
    switch (format) {
    case LogFormat::Auto:
        return "auto";
    case LogFormat::Jsonl:
        return "jsonl";
    case LogFormat::Csv:
        return "csv";
    }
    return "?";
}

} // namespace vigil
