#include "ingest/labels.h"

#include <exception>

namespace vigil {

LoadOptions labelLoadOptions(const LabelSourceConfig& source, const FieldMapping& logMapping)
{
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
    return options;
}

std::optional<Error> missingLabelField(const InferredSchema& schema, const std::string& path)
{
    if (!schema.mapping.label.empty())
        return std::nullopt;
    std::string fields;
    for (const FieldInfo& f : schema.fields)
        fields += (fields.empty() ? "" : ", ") + f.path;
    return Error{"label source: " + path + ": no label field found among " + fields +
                 " (set labels.label in the config)"};
}

Result<LoadedLog> loadLabelSource(const LabelSourceConfig& source, const FieldMapping& logMapping,
                                  std::stop_token stop, const ProgressFn& progress,
                                  std::uint64_t memoryBudgetBytes, const std::string& spillDir)
{
    if (source.path.empty())
        return Error{"label source: no file given"};
    LoadOptions options = labelLoadOptions(source, logMapping);
    options.memoryBudgetBytes = memoryBudgetBytes;
    options.spillDir = spillDir;
    try {
        auto loaded = loadLogs({source.path}, options, std::move(stop), progress);
        if (!loaded)
            return Error{"label source: " + loaded.error().message};
        if (auto missing = missingLabelField(loaded->schema, source.path))
            return *missing;
        return loaded;
    } catch (const std::exception& e) {
        return Error{std::string("label source: ") + e.what()};
    }
}

} // namespace vigil
