#include "pooled_chi_square.h"

#include <algorithm>
#include <numeric>

namespace vigil {

PooledTable poolSparseCategories(std::span<const double> refCounts, std::span<const double> curCounts,
                                 double minExpected)
{
    PooledTable out;
    const std::size_t k = std::min(refCounts.size(), curCounts.size());
    const double refTotal =
        std::accumulate(refCounts.begin(), refCounts.begin() + static_cast<std::ptrdiff_t>(k), 0.0);
    const double curTotal =
        std::accumulate(curCounts.begin(), curCounts.begin() + static_cast<std::ptrdiff_t>(k), 0.0);
    const double total = refTotal + curTotal;
    std::vector<double> expected(k, 0.0);
    for (std::size_t i = 0; i < k; ++i)
        expected[i] = total > 0.0 ? curTotal * (refCounts[i] + curCounts[i]) / total : 0.0;
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return expected[a] < expected[b]; });
    std::vector<bool> pool(k, false);
    double pooledExpected = 0.0;
    std::size_t taken = 0;
    for (; taken < k && expected[order[taken]] < minExpected; ++taken) {
        pool[order[taken]] = true;
        pooledExpected += expected[order[taken]];
    }
    // A pooled column that is itself sparse takes the next smallest category.
    for (; taken > 0 && taken < k && pooledExpected < minExpected; ++taken) {
        pool[order[taken]] = true;
        pooledExpected += expected[order[taken]];
    }
    double refOther = 0.0;
    double curOther = 0.0;
    for (std::size_t i = 0; i < k; ++i) {
        if (pool[i]) {
            out.pooled.push_back(i);
            refOther += refCounts[i];
            curOther += curCounts[i];
        } else {
            out.refCounts.push_back(refCounts[i]);
            out.curCounts.push_back(curCounts[i]);
        }
    }
    if (!out.pooled.empty()) {
        out.refCounts.push_back(refOther);
        out.curCounts.push_back(curOther);
    }
    return out;
}

std::optional<ChiSquareResult> pooledChiSquare(std::span<const double> refCounts,
                                               std::span<const double> curCounts, double minExpected)
{
    if (refCounts.size() != curCounts.size())
        return std::nullopt;
    const PooledTable t = poolSparseCategories(refCounts, curCounts, minExpected);
    return chiSquareContingency(t.refCounts, t.curCounts);
}

} // namespace vigil
