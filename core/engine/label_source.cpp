#include "engine/label_source.h"

#include "engine/label_join.h"
#include "ingest/labels.h"

#include <exception>

namespace vigil {

Result<std::shared_ptr<const LabelSummary>> joinLabelSource(LoadedLog& log, const LabelSourceConfig& source,
                                                            std::stop_token stop, const ProgressFn& progress)
{
    try {
        if (log.table.requestId.size() != log.table.rows() || log.schema.mapping.requestId.empty())
            return Error{"cannot join labels: the log has no request id field (set mapping.request_id in "
                         "the config)"};
        auto labels = loadLabelSource(source, log.schema.mapping, stop, progress);
        if (!labels)
            return labels.error();
        LabelJoin join;
        join.addPredictions(log.table, 0);
        join.addLabels(log.table, labels->table);
        auto result =
            labelJoinResult(std::make_shared<LabelSummary>(join.summary(log.table)), labels, source);
        log.labels = result.value();
        return result;
    } catch (const std::exception& e) {
        return Error{std::string("joining labels failed: ") + e.what()};
    }
}

Result<std::shared_ptr<const LabelSummary>> labelJoinResult(std::shared_ptr<LabelSummary> summary,
                                                            Result<LoadedLog>& labels,
                                                            const LabelSourceConfig& source)
{
    summary->source = source.path;
    summary->lines = labels->lines;
    summary->malformed = labels->malformed;
    summary->problems = std::move(labels->problems);
    Result<std::shared_ptr<const LabelSummary>> result{std::shared_ptr<const LabelSummary>(summary)};
    for (const std::string& w : labels.warnings)
        result.warnings.push_back("label source: " + w);
    if (summary->unmatchedLabels > 0)
        result.warnings.push_back(std::to_string(summary->unmatchedLabels) +
                                  " labels matched no prediction (request ids not in the log)");
    return result;
}

} // namespace vigil
