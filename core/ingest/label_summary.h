#pragma once
// What joining a label source did: the counts the report and the status bar show.
// Definitions in docs/LOG_FORMAT.md ("Late labels"); the counts always satisfy
// labelsRead == nullLabels + duplicateLabels + matched + unmatchedLabels.
#include "ingest/load.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

struct LabelSummary
{
    std::string source;                       // the label file (or "live")
    std::uint64_t labelsRead = 0;             // label records read (malformed lines excluded)
    std::uint64_t matched = 0;                // distinct request ids of the labels that matched a prediction
    std::uint64_t predictionsLabelled = 0;    // prediction rows that got a label from the source
    std::uint64_t unmatchedLabels = 0;        // distinct request ids that matched no prediction (pending)
    std::uint64_t duplicateLabels = 0;        // records whose request id an earlier record already had
    std::uint64_t nullLabels = 0;             // records with a null label: read, never joined
    std::uint64_t inlineLabelsReplaced = 0;   // joined rows whose log already had a label
    std::uint64_t duplicatePredictionIds = 0; // prediction rows whose id an earlier row had
    std::uint64_t predictionsWithoutId = 0;   // prediction rows with a null request id
    // Label ts - prediction ts over the joined (label, prediction) pairs, numpy-linear quantiles.
    std::optional<double> delayP50Ms, delayP95Ms;
    std::uint64_t negativeDelays = 0; // pairs where the label is older than the prediction
    // Reading the label file.
    std::uint64_t lines = 0;
    std::uint64_t malformed = 0;
    std::vector<Problem> problems;
};

} // namespace vigil
