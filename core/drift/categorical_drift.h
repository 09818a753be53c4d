#pragma once
// Univariate drift statistics of a categorical feature given as category codes
// (the same dictionary for reference and window); a negative code is a missing value.
// All statistics use the union of the categories seen in either sample.
#include "missing_share.h"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace vigil {

struct ChiSquareResult
{
    double statistic = 0.0;
    double pValue = 1.0;
    int dof = 0;
};

// scipy.stats.chi2_contingency(correction=True) on the 2 x k table [ref; cur]:
// expected = row sum * column sum / total, Yates' continuity correction when dof == 1
// (each observed count moves towards its expected count by min(0.5, |diff|)), p from the
// regularised upper incomplete gamma Q(dof/2, chi2/2). dof == 0 (one category) gives
// chi2 = 0, p = 1 as SciPy does. nullopt if either row sums to 0 or a column is all 0.
std::optional<ChiSquareResult> chiSquareContingency(std::span<const double> refCounts,
                                                    std::span<const double> curCounts);

struct CategoricalReference
{
    std::map<std::int32_t, double> counts; // non-missing codes
    std::size_t rows = 0;
    std::size_t missing = 0;

    static CategoricalReference build(std::span<const std::int32_t> codes);
};

struct CategoricalDrift
{
    std::optional<ChiSquareResult> chiSquare;
    // The same test with sparse categories pooled (pooled_chi_square.h): the decision's p-value.
    std::optional<ChiSquareResult> pooledChiSquare;
    std::optional<double> psi;
    std::optional<double> jensenShannon;
    std::optional<double> hellinger;
    std::vector<std::int32_t> unseenCategories; // in the window but not in the reference, ascending
    MissingShare missing;
};

CategoricalDrift categoricalDrift(const CategoricalReference& ref, std::span<const std::int32_t> current);

// The same from the window's counts: (code, count) pairs ascending by code, counts > 0, and
// the window's rows and missing values (a window counted chunk by chunk).
CategoricalDrift categoricalDriftFromCounts(const CategoricalReference& ref,
                                            std::span<const std::pair<std::int32_t, double>> counts,
                                            std::size_t rows, std::size_t missing);

} // namespace vigil
