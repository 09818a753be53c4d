#include "categorical_drift.h"

#include "distances.h"
#include "pooled_chi_square.h"

#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

namespace vigil {

std::optional<ChiSquareResult> chiSquareContingency(std::span<const double> refCounts,
                                                    std::span<const double> curCounts)
{
    const std::size_t k = refCounts.size();
    if (k == 0 || curCounts.size() != k)
        return std::nullopt;
    double refTotal = 0.0;
    double curTotal = 0.0;
    for (std::size_t i = 0; i < k; ++i) {
        if (refCounts[i] + curCounts[i] <= 0.0)
            return std::nullopt;
        refTotal += refCounts[i];
        curTotal += curCounts[i];
    }
    if (refTotal <= 0.0 || curTotal <= 0.0)
        return std::nullopt;
    ChiSquareResult result;
    result.dof = static_cast<int>(k) - 1;
    if (result.dof == 0)
        return result;
    const double total = refTotal + curTotal;
    const bool yates = result.dof == 1;
    double chi2 = 0.0;
    auto cell = [&](double observed, double rowTotal, double columnTotal) {
        const double expected = rowTotal * columnTotal / total;
        if (yates) {
            const double diff = expected - observed;
            const double magnitude = std::min(0.5, std::abs(diff));
            observed += diff > 0 ? magnitude : (diff < 0 ? -magnitude : 0.0);
        }
        const double d = observed - expected;
        chi2 += d * d / expected;
    };
    for (std::size_t i = 0; i < k; ++i) {
        const double column = refCounts[i] + curCounts[i];
        cell(refCounts[i], refTotal, column);
        cell(curCounts[i], curTotal, column);
    }
    result.statistic = chi2;
    try {
        result.pValue = boost::math::gamma_q(result.dof / 2.0, chi2 / 2.0);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return result;
}

CategoricalReference CategoricalReference::build(std::span<const std::int32_t> codes)
{
    CategoricalReference ref;
    ref.rows = codes.size();
    for (std::int32_t c : codes) {
        if (c < 0)
            ++ref.missing;
        else
            ref.counts[c] += 1.0;
    }
    return ref;
}

CategoricalDrift categoricalDrift(const CategoricalReference& ref, std::span<const std::int32_t> current)
{
    // Counts per category, ascending by code. Codes are dictionary indices, usually small:
    // a dense count array then replaces a tree insert per value (integer counts are the
    // same doubles as the sums of 1.0 they replace).
    std::vector<std::pair<std::int32_t, double>> cur;
    std::size_t missing = 0;
    std::int32_t maxCode = -1;
    for (std::int32_t c : current)
        maxCode = std::max(maxCode, c);
    constexpr std::int32_t kDenseCodes = 1 << 16;
    if (maxCode < kDenseCodes) {
        std::vector<std::uint32_t> dense(static_cast<std::size_t>(maxCode + 1), 0);
        for (std::int32_t c : current) {
            if (c < 0)
                ++missing;
            else
                ++dense[static_cast<std::size_t>(c)];
        }
        for (std::size_t c = 0; c < dense.size(); ++c)
            if (dense[c] > 0)
                cur.emplace_back(static_cast<std::int32_t>(c), static_cast<double>(dense[c]));
    } else {
        std::map<std::int32_t, double> sparse;
        for (std::int32_t c : current) {
            if (c < 0)
                ++missing;
            else
                sparse[c] += 1.0;
        }
        cur.assign(sparse.begin(), sparse.end());
    }
    return categoricalDriftFromCounts(ref, cur, current.size(), missing);
}

CategoricalDrift categoricalDriftFromCounts(const CategoricalReference& ref,
                                            std::span<const std::pair<std::int32_t, double>> cur,
                                            std::size_t rows, std::size_t missing)
{
    CategoricalDrift out;
    out.missing = MissingShare::make(rows, missing, ref.rows, ref.missing);
    for (const auto& [code, count] : cur)
        if (!ref.counts.contains(code))
            out.unseenCategories.push_back(code);
    if (ref.counts.empty() || cur.empty())
        return out;

    // Align both samples on the sorted union of categories.
    std::vector<double> refCounts;
    std::vector<double> curCounts;
    auto r = ref.counts.begin();
    auto c = cur.begin();
    while (r != ref.counts.end() || c != cur.end()) {
        if (c == cur.end() || (r != ref.counts.end() && r->first < c->first)) {
            refCounts.push_back(r->second);
            curCounts.push_back(0.0);
            ++r;
        } else if (r == ref.counts.end() || c->first < r->first) {
            refCounts.push_back(0.0);
            curCounts.push_back(c->second);
            ++c;
        } else {
            refCounts.push_back(r->second);
            curCounts.push_back(c->second);
            ++r;
            ++c;
        }
    }
    out.chiSquare = chiSquareContingency(refCounts, curCounts);
    out.pooledChiSquare = vigil::pooledChiSquare(refCounts, curCounts);
    out.psi = populationStabilityIndex(refCounts, curCounts);
    out.jensenShannon = jensenShannonDistance(refCounts, curCounts);
    out.hellinger = hellingerDistance(refCounts, curCounts);
    return out;
}

} // namespace vigil
