#pragma once
// CBPE over the analysed windows (core/drift/cbpe.h does the arithmetic).
#include "drift/cbpe.h"
#include "engine/analysis.h"
#include "engine/drift_rows.h"

#include <cstdint>
#include <span>
#include <vector>

namespace vigil {

// The calibrator fitted on the reference rows that have a finite score and a 0/1 label;
// nullopt when there are none (CBPE then stays null).
std::optional<IsotonicCalibrator> cbpeCalibrator(const LogTable& refTable,
                                                 std::span<const std::uint32_t> refRows);

// Fills windows[w].estimated from the rows of window w with a finite score; only for
// score predictions (binary classification), nothing otherwise.
void estimatePerformance(const LogTable& table, const AnalysisSnapshot& snapshot, const WindowRows& rows,
                         const IsotonicCalibrator& calibrator, std::vector<WindowDrift>& windows);

} // namespace vigil
