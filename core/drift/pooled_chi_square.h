#pragma once
// Chi-square test whose p-value stays calibrated at small windows: categories the window
// is expected to see fewer than `minExpected` times are pooled into one "other" column
// before the test (Cochran's rule). Sparse categories make Pearson's statistic heavy-tailed:
// in the decision benchmark, 100-row windows of a 40-category Zipf feature had chi2_p < 0.005
// in 1.0-1.7 % of stable windows and a feature with two rare categories in 2.4 %, five times
// the nominal rate. The report's `chi2_p` stays SciPy's unpooled chi2_contingency; this one
// feeds the drift decision only.
#include "categorical_drift.h"

#include <span>
#include <vector>

namespace vigil {

// The columns after pooling: the indices of the categories merged into the "other" column
// (ascending), the pooled reference and window counts (kept categories in input order,
// then "other" when anything was pooled).
struct PooledTable
{
    std::vector<std::size_t> pooled;
    std::vector<double> refCounts;
    std::vector<double> curCounts;
};

// Expected window count of category i = window total * column total / grand total (the
// contingency table's expectation). Categories below minExpected are pooled, smallest
// first; while the pooled column itself is still below minExpected, the next smallest kept
// category joins it. Nothing is pooled when no category is below minExpected.
PooledTable poolSparseCategories(std::span<const double> refCounts, std::span<const double> curCounts,
                                 double minExpected = 5.0);

// chiSquareContingency on the pooled table (so Yates' correction when one degree of
// freedom remains, and p = 1 with a single column).
std::optional<ChiSquareResult> pooledChiSquare(std::span<const double> refCounts,
                                               std::span<const double> curCounts, double minExpected = 5.0);

} // namespace vigil
