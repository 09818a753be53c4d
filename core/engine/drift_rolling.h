#pragma once
// Rolling reference (docs/DRIFT.md, "Rolling reference"): each window is compared with the
// N non-empty windows before it, which also provide its reference bands.
#include "engine/analysis.h"

#include <stop_token>

namespace vigil {

// options.rollingWindows = N > 0. The first window has no predecessor: its statistics are
// null. A window with fewer than N predecessors uses those it has.
Result<DriftSnapshot> computeRollingDrift(const LogTable& table, const AnalysisSnapshot& snapshot,
                                          const DriftOptions& options, std::stop_token stop = {});

} // namespace vigil
