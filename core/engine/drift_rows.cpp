#include "engine/drift_rows.h"

#include <algorithm>
#include <random>

namespace vigil {

WindowRows::WindowRows(std::span<const std::int64_t> ts, std::span<const std::int64_t> starts,
                       std::span<const std::int64_t> ends, std::size_t maxRows)
{
    const std::size_t n = starts.size();
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::vector<std::size_t> windowOf(ts.size(), kNone);
    std::vector<std::size_t> counts(n + 1, 0);
    // Rows mostly come in time order: the previous row's window is checked first, the
    // search (the same last start <= ts) runs only when the row left it.
    std::size_t hint = n;
    for (std::size_t i = 0; i < ts.size(); ++i) {
        std::size_t w = hint;
        if (!(hint < n && starts[hint] <= ts[i] && (hint + 1 == n || ts[i] < starts[hint + 1]))) {
            const auto it = std::upper_bound(starts.begin(), starts.end(), ts[i]);
            if (it == starts.begin())
                continue;
            w = static_cast<std::size_t>(it - starts.begin()) - 1;
            hint = w;
        }
        if (ts[i] >= ends[w])
            continue;
        windowOf[i] = w;
        ++counts[w + 1];
    }
    m_offsets.assign(n + 1, 0);
    for (std::size_t w = 0; w < n; ++w)
        m_offsets[w + 1] = m_offsets[w] + counts[w + 1];
    m_order.resize(m_offsets[n]);
    std::vector<std::size_t> fill(m_offsets.begin(), m_offsets.end() - 1);
    for (std::size_t i = 0; i < ts.size(); ++i)
        if (windowOf[i] != kNone)
            m_order[fill[windowOf[i]]++] = static_cast<std::uint32_t>(i);
    if (maxRows == 0)
        return;
    // Sample in place, then compact the windows.
    std::vector<std::uint32_t> kept;
    std::vector<std::size_t> offsets(n + 1, 0);
    for (std::size_t w = 0; w < n; ++w) {
        const auto rows = rowsOf(w);
        if (rows.size() <= maxRows) {
            kept.insert(kept.end(), rows.begin(), rows.end());
        } else {
            m_sampled = true;
            std::mt19937_64 rng(w);
            std::vector<std::uint32_t> reservoir(rows.begin(),
                                                 rows.begin() + static_cast<std::ptrdiff_t>(maxRows));
            for (std::size_t i = maxRows; i < rows.size(); ++i) {
                const auto j = std::uniform_int_distribution<std::size_t>(0, i)(rng);
                if (j < maxRows)
                    reservoir[j] = rows[i];
            }
            std::sort(reservoir.begin(), reservoir.end());
            kept.insert(kept.end(), reservoir.begin(), reservoir.end());
        }
        offsets[w + 1] = kept.size();
    }
    m_order = std::move(kept);
    m_offsets = std::move(offsets);
}

std::vector<std::uint32_t> rowsInRange(std::span<const std::int64_t> ts, std::int64_t startMs,
                                       std::int64_t endMs)
{
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < ts.size(); ++i)
        if (ts[i] >= startMs && ts[i] < endMs)
            out.push_back(static_cast<std::uint32_t>(i));
    return out;
}

} // namespace vigil
