#include "kswin.h"

#include "ks.h"

#include <cmath>
#include <numeric>
#include <vector>

namespace vigil {

void Kswin::reset()
{
    m_window.clear();
    m_rng.seed(m_params.seed);
    m_pValue = 1.0;
    m_drift = false;
}

DetectorSignal Kswin::update(double x)
{
    if (std::isnan(x))
        return {};
    if (m_drift)
        reset();
    m_window.push_back(x);
    const auto windowSize = static_cast<std::size_t>(m_params.windowSize);
    const auto statSize = static_cast<std::size_t>(m_params.statSize);
    if (m_window.size() > windowSize)
        m_window.pop_front();
    if (m_window.size() < windowSize) {
        m_drift = false;
        return {};
    }
    // Sample statSize distinct positions from the older part of the window.
    const std::size_t older = windowSize - statSize;
    std::vector<std::size_t> positions(older);
    std::iota(positions.begin(), positions.end(), std::size_t{0});
    std::vector<double> sampled;
    sampled.reserve(statSize);
    for (std::size_t i = 0; i < statSize && i < older; ++i) {
        std::uniform_int_distribution<std::size_t> pick(i, older - 1);
        std::swap(positions[i], positions[pick(m_rng)]);
        sampled.push_back(m_window[positions[i]]);
    }
    const std::vector<double> recent(m_window.end() - static_cast<std::ptrdiff_t>(statSize), m_window.end());
    const auto ks = ksTwoSample(sampled, recent);
    m_pValue = ks ? ks->pValue : 1.0;
    m_drift = ks && ks->pValue <= m_params.alpha && ks->statistic > 0.1;
    return {false, m_drift};
}

} // namespace vigil
