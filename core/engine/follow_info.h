#pragma once
// What live following has seen so far; part of an AnalysisResult built while
// following (the report's "follow" object, the GUI status bar).
#include <cstdint>
#include <optional>

namespace vigil {

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
    double publishSeconds = 0.0;              // making the result's immutable copy of the log
};

} // namespace vigil
