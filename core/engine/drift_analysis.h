#pragma once
// Drift of every window against a reference (docs/DRIFT.md, "In the report"): univariate
// statistics per feature, the PCA reconstruction error, and ADWIN/DDM on the error stream.
#include "drift/numeric_drift.h"
#include "engine/analysis.h"

#include <span>
#include <stop_token>

namespace vigil {

// Fills snapshot.drift. Errors: no reference rows, a reference range that is empty or
// inverted, a reference table without the analysed features.
Result<DriftSnapshot> computeDrift(const LogTable& table, const AnalysisSnapshot& snapshot,
                                   const DriftOptions& options, std::stop_token stop = {});

// numericDrift's statistics for one window, with KS D found by binary search of the window's
// sorted values in the reference (O(n2 log n1), bit-identical D), as the report needs them.
// `window` is sorted in place; NaN values must already be removed and counted in `missing`.
NumericDrift scoreNumericWindow(const NumericReference& ref, std::vector<double>& window,
                                std::size_t missing);

// D = sup |F_ref - F_cur| of two sorted NaN-free samples, evaluated at the same points and
// with the same arithmetic as ksStatisticSorted, but by binary search in the reference.
double ksStatisticBySearch(std::span<const double> sortedRef, std::span<const double> sortedCur);

} // namespace vigil
