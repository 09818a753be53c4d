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

// joinLabelSource for a spilled log, within the log's memory budget: the request ids are split
// into as many partitions (by a hash of the id) as the join's state needs to fit the budget,
// each partition joined on its predictions' timestamps, ids and labels read from the spill
// file and its label records (the label file spilled too when larger than a quarter of the
// budget), and the joined labels written back to the spill file. Same labels, counts and
// delays as the join of the whole log (engine/label_join_spilled.cpp).
Result<std::shared_ptr<const LabelSummary>>
joinLabelSourceSpilled(LoadedLog& log, const LabelSourceConfig& source, std::stop_token stop = {});

} // namespace vigil
