#pragma once
// The analysis of a log that did not fit its memory budget (docs/MEMORY.md): the rows are in
// a spill file (LoadedLog::spill), and the windows are analysed batch by batch, each batch a
// run of consecutive windows whose rows fit the budget. The result equals analyze() +
// computeDrift() over the whole table, number for number.
#include "config/config.h"
#include "engine/pipeline.h"
#include "ingest/label_summary.h"

#include <memory>
#include <stop_token>

namespace vigil {

// Errors: those of analyze() and computeDrift(), a rolling reference (it needs every
// window's neighbours in memory), and spill file read errors.
Result<std::shared_ptr<AnalysisResult>> analyzeSpilled(std::shared_ptr<const LoadedLog> log,
                                                       const AnalysisOptions& options,
                                                       std::stop_token stop = {},
                                                       const ProgressFn& progress = {});

// joinLabelSource for a spilled log: the join runs on the timestamps, request ids and labels
// of every row (about 40 bytes a row plus the join's index), and the joined labels are
// written back to the spill file.
Result<std::shared_ptr<const LabelSummary>>
joinLabelSourceSpilled(LoadedLog& log, const LabelSourceConfig& source, std::stop_token stop = {});

} // namespace vigil
