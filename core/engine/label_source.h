#pragma once
// The batch path of late labels: read a label file and join it into a loaded log
// before the analysis (vigil report/snapshot/GUI --labels). The live path uses
// LabelJoin directly.
#include "config/config.h"
#include "ingest/label_summary.h"
#include "ingest/load.h"
#include "util/progress.h"
#include "util/result.h"

#include <memory>
#include <stop_token>

namespace vigil {

// Joins the label file into log.table.label and sets log.labels. Errors: the label
// file cannot be read or has no usable record, the log has no request id field.
// Warnings: the label file's, and a line for labels that matched nothing.
Result<std::shared_ptr<const LabelSummary>> joinLabelSource(LoadedLog& log, const LabelSourceConfig& source,
                                                            std::stop_token stop = {},
                                                            const ProgressFn& progress = {});

// The result joinLabelSource returns for a join's summary: the label file's line counts and
// problems added, its warnings, and a line for labels that matched nothing.
Result<std::shared_ptr<const LabelSummary>> labelJoinResult(std::shared_ptr<LabelSummary> summary,
                                                            Result<LoadedLog>& labels,
                                                            const LabelSourceConfig& source);

} // namespace vigil
