#pragma once
// Drift as a second stage after the main analysis: the GUI shows the metrics first and
// computes drift in the background; `vigil snapshot --view drift` uses the same step.
#include "engine/pipeline.h"

namespace vigil {

// A copy of `result` with snapshot.drift filled (options.drift = `options`, enabled).
// Returns `result` itself when it already carries drift.
Result<std::shared_ptr<const AnalysisResult>> withDrift(std::shared_ptr<const AnalysisResult> result,
                                                        DriftOptions options, std::stop_token stop = {});

} // namespace vigil
