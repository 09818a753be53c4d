#include "stats/regression.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace vigil::stats {

RegressionMetrics regressionMetrics(std::span<const double> predicted, std::span<const double> label)
{
    RegressionMetrics m;
    const std::size_t n = std::min(predicted.size(), label.size());
    double absSum = 0.0, sqSum = 0.0, labelSum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(predicted[i]) || !std::isfinite(label[i])) {
            ++m.excluded;
            continue;
        }
        const double d = label[i] - predicted[i];
        absSum += std::abs(d);
        sqSum += d * d;
        labelSum += label[i];
        ++m.used;
    }
    if (m.used == 0)
        return m;
    const double count = static_cast<double>(m.used);
    m.mae = absSum / count;
    m.rmse = std::sqrt(sqSum / count);
    if (m.used < 2)
        return m;
    // Second pass for the total sum of squares: centring first keeps it
    // accurate when the labels sit far from zero.
    const double mean = labelSum / count;
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(predicted[i]) || !std::isfinite(label[i]))
            continue;
        const double d = label[i] - mean;
        total += d * d;
    }
    if (total > 0.0)
        m.r2 = 1.0 - sqSum / total;
    return m;
}

} // namespace vigil::stats
