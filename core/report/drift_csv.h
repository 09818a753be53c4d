#pragma once
// The long-format drift CSV written next to a CSV report (docs/DRIFT.md, "CSV"):
// one row per window and drift feature, plus one "__multivariate__" row per window.
#include "engine/pipeline.h"

#include <string>

namespace vigil {

// Empty when the result has no drift. `report.csv` -> `report.drift.csv`.
std::string driftToCsv(const AnalysisResult& result);
std::string driftCsvPath(const std::string& reportCsvPath);

} // namespace vigil
