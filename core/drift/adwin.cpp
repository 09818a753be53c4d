#include "adwin.h"

#include <cmath>

namespace vigil {

Adwin::Adwin(Params params) : m_params(params)
{
    reset();
}

void Adwin::reset()
{
    m_rows.assign(1, Row{});
    m_total = 0.0;
    m_variance = 0.0;
    m_width = 0.0;
    m_tick = 0;
    m_lastDrift = false;
}

DetectorSignal Adwin::update(double x)
{
    if (std::isnan(x))
        return {};
    if (m_lastDrift) {
        // River replaces the whole helper after a drift; the detection count survives
        // only in this object, which is what a caller wants to read.
        const int detections = m_detections;
        reset();
        m_detections = detections;
    }
    insert(x);
    m_lastDrift = detectChange();
    return {false, m_lastDrift};
}

void Adwin::insert(double value)
{
    m_rows[0].totals.push_back(value);
    m_rows[0].variances.push_back(0.0);
    // Incremental sum of squared deviations; the operation order is River's so that
    // the cut decisions are reproduced exactly.
    m_width += 1.0;
    double increment = 0.0;
    if (m_width > 1.0) {
        const double d = value - m_total / (m_width - 1.0);
        increment = (m_width - 1.0) * d * d / m_width;
    }
    m_variance += increment;
    m_total += value;
    compress();
}

void Adwin::compress()
{
    const auto full = static_cast<std::size_t>(m_params.maxBuckets + 1);
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].totals.size() != full)
            break;
        const double n1 = std::ldexp(1.0, static_cast<int>(i));
        const double t0 = m_rows[i].totals[0];
        const double t1 = m_rows[i].totals[1];
        const double v0 = m_rows[i].variances[0];
        const double v1 = m_rows[i].variances[1];
        const double mu1 = t0 / n1;
        const double mu2 = t1 / n1;
        const double merged = v0 + v1 + n1 * 0.5 * (mu1 - mu2) * (mu1 - mu2);
        if (i + 1 >= m_rows.size())
            m_rows.push_back(Row{});
        m_rows[i + 1].totals.push_back(t0 + t1);
        m_rows[i + 1].variances.push_back(merged);
        m_rows[i].totals.erase(m_rows[i].totals.begin(), m_rows[i].totals.begin() + 2);
        m_rows[i].variances.erase(m_rows[i].variances.begin(), m_rows[i].variances.begin() + 2);
        if (m_rows[i + 1].totals.size() <= static_cast<std::size_t>(m_params.maxBuckets))
            break;
    }
}

void Adwin::deleteOldest()
{
    const std::size_t last = m_rows.size() - 1;
    const double n = std::ldexp(1.0, static_cast<int>(last));
    const double u = m_rows[last].totals.front();
    const double v = m_rows[last].variances.front();
    const double mu = u / n;
    m_width -= n;
    m_total -= u;
    const double muWindow = m_total / m_width;
    m_variance -= v + n * m_width * (mu - muWindow) * (mu - muWindow) / (n + m_width);
    m_rows[last].totals.erase(m_rows[last].totals.begin());
    m_rows[last].variances.erase(m_rows[last].variances.begin());
    if (m_rows[last].totals.empty())
        m_rows.pop_back();
}

bool Adwin::cutExceedsBound(double n0, double n1, double deltaMean, double deltaPrime) const
{
    const double mwl = m_params.minWindowLength;
    const double mRecip = 1.0 / (n0 - mwl + 1.0) + 1.0 / (n1 - mwl + 1.0);
    const double epsilon =
        std::sqrt(2.0 * mRecip * (m_variance / m_width) * deltaPrime) + 2.0 / 3.0 * deltaPrime * mRecip;
    return std::abs(deltaMean) > epsilon;
}

bool Adwin::detectChange()
{
    bool changed = false;
    ++m_tick;
    if (m_tick % m_params.clock != 0 || !(m_width > m_params.gracePeriod))
        return false;
    const double mwl = m_params.minWindowLength;
    bool reduce = true;
    while (reduce) {
        reduce = false;
        bool exit = false;
        // Depends only on the window width, which changes only when a cut drops buckets:
        // computed once per pass instead of once per candidate cut (two logarithms each).
        const double deltaPrime = std::log(2.0 * std::log(m_width) / m_params.delta);
        double n0 = 0.0;
        double n1 = m_width;
        double u0 = 0.0;
        double u1 = m_total;
        // Oldest to newest: largest rows first, each row oldest bucket first.
        for (std::size_t r = m_rows.size(); r-- > 0 && !exit && !reduce;) {
            const double size = std::ldexp(1.0, static_cast<int>(r));
            const std::size_t count = m_rows[r].totals.size();
            for (std::size_t k = 0; k < count; ++k) {
                n0 += size;
                n1 -= size;
                u0 += m_rows[r].totals[k];
                u1 -= m_rows[r].totals[k];
                if (r == 0 && k == count - 1) {
                    exit = true; // the newest bucket: W1 would be empty
                    break;
                }
                if (n1 >= mwl && n0 >= mwl && cutExceedsBound(n0, n1, u0 / n0 - u1 / n1, deltaPrime)) {
                    reduce = true;
                    changed = true;
                    if (m_width > 0.0) {
                        deleteOldest();
                        break;
                    }
                }
            }
        }
    }
    if (changed)
        ++m_detections;
    return changed;
}

} // namespace vigil
