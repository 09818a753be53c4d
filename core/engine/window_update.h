#pragma once
// Recomputing some windows of a snapshot after their rows' labels changed (late labels
// joined in place), instead of the whole analysis.
#include "engine/analysis.h"

#include <cstdint>
#include <span>
#include <stop_token>

namespace vigil {

// Rebuilds the windows of `snapshot` starting at one of `windowStarts` (any order), and
// the same windows of every version, from `table`. The rows per window must be those
// `snapshot` was computed from (only labels changed); then the windows equal what
// analyze() gives. When the change flips the resolved prediction kind (a label outside
// {0,1} turns a score model into regression), or a window is not found, it falls back
// to analyze() over everything. Drift, when options.drift.enabled, is recomputed whole:
// its error-rate detectors run over the entire label stream. Analysis warnings are not
// recomputed.
Result<AnalysisSnapshot> recomputeWindows(const LogTable& table, const InferredSchema& schema,
                                          const AnalysisOptions& options, AnalysisSnapshot snapshot,
                                          std::span<const std::int64_t> windowStarts,
                                          std::stop_token stop = {});

} // namespace vigil
