#pragma once
// Running sums over finite values, with non-finite ones counted apart (a NaN
// is data in monitoring: it is reported, not folded into a mean).
#include <cmath>
#include <cstdint>
#include <optional>

namespace vigil::stats {

class FiniteAccumulator
{
  public:
    void add(double v)
    {
        ++m_count;
        if (!std::isfinite(v)) {
            ++m_nonFinite;
            return;
        }
        m_sum += v;
        ++m_finite;
    }

    std::uint64_t count() const { return m_count; } // every value added
    std::uint64_t finiteCount() const { return m_finite; }
    std::uint64_t nonFinite() const { return m_nonFinite; }
    double sum() const { return m_sum; }
    std::optional<double> mean() const
    {
        if (m_finite == 0)
            return std::nullopt;
        return m_sum / static_cast<double>(m_finite);
    }

  private:
    double m_sum = 0.0;
    std::uint64_t m_count = 0;
    std::uint64_t m_finite = 0;
    std::uint64_t m_nonFinite = 0;
};

} // namespace vigil::stats
