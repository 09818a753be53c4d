#pragma once
// The headless report: JSON (shape documented in README, names stable) and CSV.
#include "engine/pipeline.h"

#include <string>

namespace vigil {

std::string reportToJson(const AnalysisResult& result);
// One row per window and segment ("all" or the version), flat columns.
std::string reportToCsv(const AnalysisResult& result);

} // namespace vigil
