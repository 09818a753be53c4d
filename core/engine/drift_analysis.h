#pragma once
// Drift of every window against a reference (docs/DRIFT.md, "In the report"): univariate
// statistics per feature, the PCA reconstruction error, and ADWIN/DDM on the error stream.
#include "drift/numeric_drift.h"
#include "engine/analysis.h"
#include "util/default_init_allocator.h"

#include <cstdint>
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
class PreparedNumericReference
{
  public:
    explicit PreparedNumericReference(NumericReference r);
    NumericReference ref;
    // prefix[i] = sum of the first i finite sorted values
    std::vector<long double, DefaultInitAllocator<long double>> prefix;

    // #{ref < x} and #{ref <= x} for a finite x, when the reference is all finite: x's cell
    // of an equal-width grid over [min, max] bounds both counts, so a search looks at a
    // couple of values instead of log2(n) (the report's hottest step after sorting).
    struct Bounds
    {
        std::size_t below = 0;
        std::size_t atOrBelow = 0;
    };
    bool hasCells() const { return !cellStart.empty(); }
    Bounds bounds(double x) const;
    // Hints for a walk that will soon call bounds(x): the cell's index entry (far ahead), and
    // once that entry is likely cached, the values and prefix sums it points at (nearer).
    // Neither changes any result; a walk over 100k+ reference values is otherwise bound by
    // its cache misses.
    void prefetchCell(double x) const;
    void prefetchValues(double x) const;

  private:
    std::size_t cellOf(double x) const;
    std::vector<std::uint32_t, DefaultInitAllocator<std::uint32_t>> cellStart; // cells + 1; empty: no index
    double cellMin = 0.0;
    double cellScale = 0.0;
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
