#include "ingest/labels.h"

#include <exception>

namespace vigil {

Result<LoadedLog> loadLabelSource(const LabelSourceConfig& source, const FieldMapping& logMapping,
                                  std::stop_token stop, const ProgressFn& progress)
{
    if (source.path.empty())
        return Error{"label source: no file given"};
    LoadOptions options;
    options.format = source.format.value_or(LogFormat::Auto);
    options.requireRequestId = true;
    MappingOverrides& o = options.overrides;
    // Only the three fields of a label record are read; whatever else the file holds
    // (a model name, a score) is not the log's and is left alone.
    o.timestamp = source.timestamp;
    o.timestampUnit = source.timestampUnit;
    o.requestId = source.requestId;
    o.label = source.label;
    o.model = o.version = o.latency = o.status = o.prediction = std::string();
    o.numericFeatures = o.categoricalFeatures = o.kpis = std::vector<std::string>{};
    o.predictionKind = logMapping.predictionKind;
    o.positiveClass = logMapping.positiveClass;
    try {
        auto loaded = loadLogs({source.path}, options, std::move(stop), progress);
        if (!loaded)
            return Error{"label source: " + loaded.error().message};
        if (loaded->schema.mapping.label.empty()) {
            std::string fields;
            for (const FieldInfo& f : loaded->schema.fields)
                fields += (fields.empty() ? "" : ", ") + f.path;
            return Error{"label source: " + source.path + ": no label field found among " + fields +
                         " (set labels.label in the config)"};
        }
        return loaded;
    } catch (const std::exception& e) {
        return Error{std::string("label source: ") + e.what()};
    }
}

} // namespace vigil
