#pragma once
// What live following has seen so far; part of an AnalysisResult built while
// following (the report's "follow" object, the GUI status bar).
#include <cstdint>
#include <optional>

namespace vigil {

// Label files followed alongside the log (vigil report --follow --labels).
struct LabelFollowInfo
{
    std::uint64_t lines = 0; // non-blank label lines read, malformed ones included
    std::uint64_t renameRotations = 0;
    std::uint64_t truncateRotations = 0;
    bool partialLinePending = false;
    std::uint64_t pending = 0;     // label ids read whose prediction has not arrived (yet)
    std::uint64_t joinBytes = 0;   // memory of the join: prediction index and held labels
    std::uint64_t changedRows = 0; // prediction rows whose label a label batch changed, since the last result
    std::uint64_t recomputedWindows = 0; // windows recomputed for those rows (not for new rows)
};

struct FollowInfo
{
    std::uint64_t lines = 0; // non-blank lines read, malformed ones included
    std::uint64_t renameRotations = 0;
    std::uint64_t truncateRotations = 0;
    std::uint64_t unrecoveredTruncations = 0; // copy-truncates whose copy was not found
    bool partialLinePending = false;          // a line without its newline yet
    bool final = false;                       // written after the last drain
    std::optional<std::int64_t> lastTsMs;     // latest row timestamp read
    std::uint64_t recomputedWindows = 0;      // by the update that built this result
    std::optional<LabelFollowInfo> labels;    // only when label files are followed
    double publishSeconds = 0.0;              // making the result's immutable copy of the log
};

} // namespace vigil
