#pragma once
// Row indices of each analysed window, for the drift statistics.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vigil {

class WindowRows
{
  public:
    // Rows whose timestamp falls in [starts[w], ends[w]); windows ascending and disjoint.
    // With maxRows > 0, a window holding more keeps a deterministic uniform sample of maxRows
    // (reservoir sampling, seeded with the window index), in row order.
    WindowRows(std::span<const std::int64_t> ts, std::span<const std::int64_t> starts,
               std::span<const std::int64_t> ends, std::size_t maxRows);

    std::size_t windows() const { return m_offsets.size() - 1; }
    std::span<const std::uint32_t> rowsOf(std::size_t w) const
    {
        return {m_order.data() + m_offsets[w], m_offsets[w + 1] - m_offsets[w]};
    }
    bool sampled() const { return m_sampled; }

  private:
    std::vector<std::uint32_t> m_order;
    std::vector<std::size_t> m_offsets;
    bool m_sampled = false;
};

// Rows with startMs <= ts < endMs, ascending.
std::vector<std::uint32_t> rowsInRange(std::span<const std::int64_t> ts, std::int64_t startMs,
                                       std::int64_t endMs);

} // namespace vigil
