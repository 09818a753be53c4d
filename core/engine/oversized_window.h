#pragma once
// A window of a spilled log that alone holds more rows than the memory budget
// (docs/MEMORY.md, docs/SKETCHES.md): read chunk by chunk from the spill file into a
// WindowSketchBuilder (and one per version for by_version), scored against a reference
// profile of the drift reference, never gathered whole.
#include "engine/reference_profile.h"
#include "engine/window_sketch.h"
#include "ingest/load.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

namespace vigil::detail {

struct SketchReference
{
    std::shared_ptr<const ReferenceProfile> profile;
    DriftReferenceInfo info; // what computeDrift reports as the reference
    std::vector<std::string> warnings;
};

// The profile a sketched window is scored against, equal to the reference computeDrift uses
// for the log: the given profile; else one built from the reference rows (the range
// `reference`, read at their parity, or the reference file), keeping every reference value
// (not the saved profile's order-statistics sketch), the reference windows' effects and the
// PCA and CBPE fits. `windows`: every window of the log (start, end, rows), as drift is given.
Result<SketchReference> sketchReference(const LoadedLog& log, const AnalysisSnapshot& windows,
                                        const DriftOptions& drift,
                                        std::optional<std::pair<std::int64_t, std::int64_t>> reference,
                                        bool anyLabel, std::stop_token stop);

struct SketchedSpillWindow
{
    SketchedWindow all;
    std::vector<std::pair<std::string, WindowStats>> bySegment; // by version name, first seen first
    // The window's labelled rows with a prediction (timestamp, prediction, label only), in
    // their order: the concept-drift stream needs them (about 24 bytes a row).
    LogTable conceptRows;
};

// The rows with startMs <= ts < startMs + windowMs, chunk by chunk. `profile` null = no drift.
Result<SketchedSpillWindow> sketchSpilledWindow(const LoadedLog& log, std::int64_t startMs,
                                                std::int64_t windowMs, PredictionKind kind,
                                                const AnalysisOptions& options,
                                                std::shared_ptr<const ReferenceProfile> profile,
                                                bool anyLabel, std::stop_token stop);

} // namespace vigil::detail
