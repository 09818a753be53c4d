#include "page_hinkley.h"

#include <cmath>
#include <limits>

namespace vigil {

void PageHinkley::reset()
{
    m_n = 0.0;
    m_mean = 0.0;
    m_sumIncrease = 0.0;
    m_sumDecrease = 0.0;
    m_minIncrease = std::numeric_limits<double>::infinity();
    m_maxDecrease = -1.0;
    m_drift = false;
}

DetectorSignal PageHinkley::update(double x)
{
    if (std::isnan(x))
        return {};
    if (m_drift)
        reset();
    m_n += 1.0;
    m_mean += (1.0 / m_n) * (x - m_mean);
    const double dev = x - m_mean;
    m_sumIncrease = m_params.alpha * m_sumIncrease + dev - m_params.delta;
    m_sumDecrease = m_params.alpha * m_sumDecrease + dev + m_params.delta;
    if (m_sumIncrease < m_minIncrease)
        m_minIncrease = m_sumIncrease;
    if (m_sumDecrease > m_maxDecrease)
        m_maxDecrease = m_sumDecrease;
    if (m_n >= m_params.minInstances) {
        const bool up = m_sumIncrease - m_minIncrease > m_params.threshold;
        const bool down = m_maxDecrease - m_sumDecrease > m_params.threshold;
        switch (m_params.mode) {
        case Mode::Up:
            m_drift = up;
            break;
        case Mode::Down:
            m_drift = down;
            break;
        case Mode::Both:
            m_drift = up || down;
            break;
        }
    }
    return {false, m_drift};
}

} // namespace vigil
