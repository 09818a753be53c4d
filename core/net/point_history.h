#pragma once
// A series' samples in immutable shared chunks plus a short mutable tail: copying the
// history into each new scrape snapshot copies chunk pointers and at most one chunk of
// points, not the whole history, so publishing stays cheap on long runs.
#include "prom/rate.h"

#include <initializer_list>
#include <memory>
#include <vector>

namespace vigil {

class PointHistory
{
  public:
    static constexpr std::size_t kChunk = 256;

    PointHistory() = default;
    PointHistory(std::initializer_list<PromPoint> points)
    {
        for (const auto& p : points)
            append(p);
    }

    void append(PromPoint p)
    {
        m_tail.push_back(p);
        if (m_tail.size() == kChunk) {
            m_full.push_back(std::make_shared<const std::vector<PromPoint>>(std::move(m_tail)));
            m_tail = {};
        }
    }

    std::size_t size() const { return m_full.size() * kChunk + m_tail.size(); }
    bool empty() const { return size() == 0; }
    const PromPoint& operator[](std::size_t i) const
    {
        return i / kChunk < m_full.size() ? (*m_full[i / kChunk])[i % kChunk]
                                          : m_tail[i - m_full.size() * kChunk];
    }
    const PromPoint& back() const { return (*this)[size() - 1]; }

    // One contiguous copy, for functions that take a span (rate(), a chart).
    std::vector<PromPoint> toVector() const
    {
        std::vector<PromPoint> out;
        out.reserve(size());
        for (const auto& chunk : m_full)
            out.insert(out.end(), chunk->begin(), chunk->end());
        out.insert(out.end(), m_tail.begin(), m_tail.end());
        return out;
    }

    // Makes this history equal to `newer`, a later state of the same series (this one a
    // prefix of it), copying only what was appended since: the scraper refreshes an
    // old snapshot this way. Anything else is a plain copy.
    void catchUpWith(const PointHistory& newer)
    {
        const std::size_t have = m_full.size();
        const bool prefix =
            have <= newer.m_full.size() && (have == 0 || m_full.back() == newer.m_full[have - 1]);
        if (!prefix) {
            *this = newer;
            return;
        }
        if (have == newer.m_full.size() && m_tail.size() <= newer.m_tail.size()) {
            m_tail.insert(m_tail.end(), newer.m_tail.begin() + static_cast<std::ptrdiff_t>(m_tail.size()),
                          newer.m_tail.end());
            return;
        }
        m_full.insert(m_full.end(), newer.m_full.begin() + static_cast<std::ptrdiff_t>(have),
                      newer.m_full.end());
        m_tail = newer.m_tail;
    }

    template <typename F> void forEach(F&& f) const
    {
        for (const auto& chunk : m_full)
            for (const auto& p : *chunk)
                f(p);
        for (const auto& p : m_tail)
            f(p);
    }

  private:
    std::vector<std::shared_ptr<const std::vector<PromPoint>>> m_full;
    std::vector<PromPoint> m_tail;
};

} // namespace vigil
