#pragma once
// The status bar's words for late labels while following (docs/FOLLOW.md).
#include "engine/pipeline.h"

#include <QString>

namespace vigil {

// " · N predictions labelled · M labels pending" when the result joined labels; empty otherwise.
QString followLabelsStatus(const AnalysisResult& result);

} // namespace vigil
