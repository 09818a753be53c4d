#include "error_rate_detectors.h"

#include <cmath>
#include <limits>

namespace vigil {

void Ddm::reset()
{
    m_n = 0.0;
    m_p = 0.0;
    m_pMin = m_sMin = m_psMin = std::numeric_limits<double>::infinity();
    m_state = {};
}

DetectorSignal Ddm::update(double x)
{
    if (std::isnan(x))
        return {};
    if (m_state.drift)
        reset();
    m_n += 1.0;
    m_p += (1.0 / m_n) * (x - m_p);
    const double s = std::sqrt(m_p * (1 - m_p) / m_n);
    if (m_n > m_params.warmStart) {
        if (m_p + s <= m_psMin) {
            m_pMin = m_p;
            m_sMin = s;
            m_psMin = m_pMin + m_sMin;
        }
        m_state.warning = m_p + s > m_pMin + m_params.warningThreshold * m_sMin;
        if (m_p + s > m_pMin + m_params.driftThreshold * m_sMin) {
            m_state.drift = true;
            m_state.warning = false;
        }
    }
    return m_state;
}

void Eddm::reset()
{
    m_n = 0;
    m_lastError = 0;
    m_errors = 0;
    m_distN = m_distMean = m_distM2 = 0.0;
    m_p2sMax = -1.0;
    m_state = {};
}

DetectorSignal Eddm::update(double x)
{
    if (std::isnan(x))
        return {};
    if (m_state.drift)
        reset();
    ++m_n;
    if (x == 1.0) {
        ++m_errors;
        // Welford update of the inter-error distance (River's stats.Var, ddof 1).
        const double distance = static_cast<double>(m_n - m_lastError);
        const double oldMean = m_distMean;
        m_distN += 1.0;
        m_distMean += (1.0 / m_distN) * (distance - m_distMean);
        m_distM2 += (distance - oldMean) * (distance - m_distMean);
        if (m_n > m_params.warmStart) {
            const double var = m_distN > 1.0 ? m_distM2 / (m_distN - 1.0) : 0.0;
            const double p2s = m_distMean + 2 * std::sqrt(var);
            if (p2s > m_p2sMax) {
                m_p2sMax = p2s;
            } else if (m_errors > m_params.warmStart) {
                const double level = p2s / m_p2sMax;
                if (level < m_params.beta)
                    m_state.drift = true;
                else
                    m_state.warning = level < m_params.alpha;
            }
        }
        m_lastError = m_n;
    }
    return m_state;
}

void HddmA::reset()
{
    m_z = {};
    m_xMin = {};
    m_xMax = {};
    m_state = {};
}

double HddmA::hoeffdingBound(double n) const
{
    return std::sqrt(1.0 / (2 * n) * std::log(1.0 / m_params.driftConfidence));
}

bool HddmA::meanIncreased(double confidence) const
{
    if (m_xMin.n == m_z.n)
        return false;
    const double m = (m_z.n - m_xMin.n) / m_xMin.n * (1.0 / m_z.n);
    const double eps = std::sqrt(m / 2 * std::log(2.0 / confidence));
    return m_z.mean - m_xMin.mean >= eps;
}

bool HddmA::meanDecreased(double confidence) const
{
    if (m_xMax.n == m_z.n)
        return false;
    const double m = (m_z.n - m_xMax.n) / m_xMax.n * (1.0 / m_z.n);
    const double eps = std::sqrt(m / 2 * std::log(2.0 / confidence));
    return m_xMax.mean - m_z.mean >= eps;
}

DetectorSignal HddmA::update(double x)
{
    if (std::isnan(x))
        return {};
    if (m_state.drift)
        reset();
    m_z.n += 1.0;
    m_z.mean += (1.0 / m_z.n) * (x - m_z.mean);
    if (m_xMin.n == 0)
        m_xMin = m_z;
    if (m_xMax.n == 0)
        m_xMax = m_z;
    const double epsZ = hoeffdingBound(m_z.n);
    if (m_xMin.mean + hoeffdingBound(m_xMin.n) >= m_z.mean + epsZ)
        m_xMin = m_z;
    if (m_xMax.mean - hoeffdingBound(m_xMax.n) <= m_z.mean - epsZ)
        m_xMax = m_z;

    if (meanIncreased(m_params.driftConfidence))
        m_state = {false, true};
    else if (meanIncreased(m_params.warningConfidence))
        m_state = {true, false};
    else
        m_state = {false, false};
    if (m_params.twoSidedTest) {
        if (meanDecreased(m_params.driftConfidence))
            m_state.drift = true;
        else if (meanDecreased(m_params.warningConfidence))
            m_state.warning = true;
    }
    return m_state;
}

} // namespace vigil
