#include "config/config.h"

#include <algorithm>

namespace vigil {

bool MappingOverrides::empty() const
{
    return !timestamp && !timestampUnit && !requestId && !model && !version && !latency && !status &&
           !okStatusValues && !prediction && !predictionKind && !label && !positiveClass &&
           !numericFeatures && !categoricalFeatures && !kpis;
}

namespace {

FieldInfo& fieldFor(InferredSchema& schema, const std::string& path)
{
    for (FieldInfo& f : schema.fields) {
        if (f.path == path)
            return f;
    }
    FieldInfo added;
    added.path = path;
    schema.fields.push_back(std::move(added));
    return schema.fields.back();
}

void removeFrom(std::vector<std::string>& list, const std::string& path)
{
    list.erase(std::remove(list.begin(), list.end(), path), list.end());
}

// Moves a single-field role to `path` ("" = the log has no such field).
void overrideRole(InferredSchema& schema, std::string& slot, FieldRole role, const std::string& path)
{
    if (!slot.empty() && slot != path) {
        for (FieldInfo& f : schema.fields) {
            if (f.path == slot && f.role == role) {
                f.role = FieldRole::Ignored;
                f.reason = path.empty() ? "disabled by config" : "replaced by config";
            }
        }
    }
    slot = path;
    if (path.empty())
        return;
    FieldMapping& m = schema.mapping;
    removeFrom(m.numericFeatures, path);
    removeFrom(m.categoricalFeatures, path);
    removeFrom(m.kpis, path);
    FieldInfo& info = fieldFor(schema, path);
    info.role = role;
    info.reason = info.seen == 0 && info.nulls == 0 ? "set by config (not seen in sample)" : "set by config";
}

void overrideList(InferredSchema& schema, std::vector<std::string>& list, FieldRole role,
                  const std::vector<std::string>& paths)
{
    for (FieldInfo& f : schema.fields) {
        if (f.role == role && std::find(paths.begin(), paths.end(), f.path) == paths.end()) {
            f.role = FieldRole::Ignored;
            f.reason = "not listed in config";
        }
    }
    list = paths;
    FieldMapping& m = schema.mapping;
    for (const std::string& path : paths) {
        if (&list != &m.numericFeatures)
            removeFrom(m.numericFeatures, path);
        if (&list != &m.categoricalFeatures)
            removeFrom(m.categoricalFeatures, path);
        if (&list != &m.kpis)
            removeFrom(m.kpis, path);
        FieldInfo& info = fieldFor(schema, path);
        info.role = role;
        info.reason =
            info.seen == 0 && info.nulls == 0 ? "set by config (not seen in sample)" : "set by config";
    }
}

} // namespace

void applyOverrides(const MappingOverrides& o, InferredSchema& schema)
{
    FieldMapping& m = schema.mapping;
    // Lists first, so that a single role set by config takes its field out of them.
    if (o.numericFeatures)
        overrideList(schema, m.numericFeatures, FieldRole::NumericFeature, *o.numericFeatures);
    if (o.categoricalFeatures)
        overrideList(schema, m.categoricalFeatures, FieldRole::CategoricalFeature, *o.categoricalFeatures);
    if (o.kpis)
        overrideList(schema, m.kpis, FieldRole::Kpi, *o.kpis);
    if (o.timestamp)
        overrideRole(schema, m.timestamp, FieldRole::Timestamp, *o.timestamp);
    if (o.requestId)
        overrideRole(schema, m.requestId, FieldRole::RequestId, *o.requestId);
    if (o.model)
        overrideRole(schema, m.model, FieldRole::Model, *o.model);
    if (o.version)
        overrideRole(schema, m.version, FieldRole::Version, *o.version);
    if (o.latency)
        overrideRole(schema, m.latency, FieldRole::Latency, *o.latency);
    if (o.status)
        overrideRole(schema, m.status, FieldRole::Status, *o.status);
    if (o.prediction)
        overrideRole(schema, m.prediction, FieldRole::Prediction, *o.prediction);
    if (o.label)
        overrideRole(schema, m.label, FieldRole::Label, *o.label);
    if (o.timestampUnit) {
        m.timestampUnit = *o.timestampUnit;
        if (!m.timestamp.empty())
            fieldFor(schema, m.timestamp).reason +=
                std::string("; unit ") + toString(*o.timestampUnit) + " set by config";
    }
    if (o.okStatusValues)
        m.okStatusValues = *o.okStatusValues;
    if (o.predictionKind)
        m.predictionKind = *o.predictionKind;
    if (o.positiveClass)
        m.positiveClass = *o.positiveClass;
}

} // namespace vigil
