#pragma once
// Drift of every window against a reference (docs/DRIFT.md, "In the report"): univariate
// statistics per feature, the PCA reconstruction error, and ADWIN/DDM on the error stream.
#include "drift/numeric_drift.h"
#include "engine/analysis.h"

#include <optional>
#include <span>
#include <stop_token>
#include <vector>

namespace vigil {

// Fills snapshot.drift. Errors: no reference rows, a reference range that is empty or
// inverted, a reference table without the analysed features.
Result<DriftSnapshot> computeDrift(const LogTable& table, const AnalysisSnapshot& snapshot,
                                   const DriftOptions& options, std::stop_token stop = {});

// ADWIN (and DDM for classification) over the per-prediction error stream of the whole log.
std::vector<ConceptDriftEvent> computeConceptDrift(const LogTable& table, const AnalysisSnapshot& snapshot);

// A NumericReference plus the prefix sums of its finite values, so that a window's
// Wasserstein distance costs O(n2 log n1) instead of a merge over the whole reference.
struct PreparedNumericReference
{
    explicit PreparedNumericReference(NumericReference r);
    NumericReference ref;
    std::vector<long double> prefix; // prefix[i] = sum of the first i finite sorted values
};

// numericDrift's statistics for one window without a full pass over the reference: KS D by
// searching the window's sorted values in the reference (bit-identical D), W1 from the
// reference's prefix sums (long double; equal to the merge within rounding).
// `window` holds the non-NaN values (sorted in place); `missing` counts the NaN/null ones.
NumericDrift scoreNumericWindow(const PreparedNumericReference& ref, std::vector<double>& window,
                                std::size_t missing);

// D = sup |F_ref - F_cur| of two sorted NaN-free samples, evaluated at the same points and
// with the same arithmetic as ksStatisticSorted.
double ksStatisticBySearch(std::span<const double> sortedRef, std::span<const double> sortedCur);

// W1 between the finite parts of the prepared reference and a sorted NaN-free sample;
// nullopt if either has no finite value.
std::optional<double> wassersteinBySearch(const PreparedNumericReference& ref,
                                          std::span<const double> sortedCur);

} // namespace vigil
