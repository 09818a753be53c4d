#pragma once
#include <cstddef>
#include <optional>

namespace vigil {

// Share of missing values in a window and its change against the reference.
struct MissingShare
{
    std::size_t rows = 0;
    std::size_t missing = 0;
    std::optional<double> share;          // missing / rows; nullopt for an empty window
    std::optional<double> referenceShare; // same for the reference
    std::optional<double> change;         // share - referenceShare

    static MissingShare make(std::size_t rows, std::size_t missing, std::size_t refRows,
                             std::size_t refMissing)
    {
        MissingShare m;
        m.rows = rows;
        m.missing = missing;
        if (rows > 0)
            m.share = static_cast<double>(missing) / static_cast<double>(rows);
        if (refRows > 0)
            m.referenceShare = static_cast<double>(refMissing) / static_cast<double>(refRows);
        if (m.share && m.referenceShare)
            m.change = *m.share - *m.referenceShare;
        return m;
    }
};

} // namespace vigil
