#pragma once
// Univariate drift statistics of a numeric feature: one window against a reference.
//
// NaN is missing: it is excluded from every distribution statistic and counted in
// MissingShare. +/-Inf are values: they take part in KS (at the ends of the order),
// fall into the outermost quantile bins, and are left out of Wasserstein (whose
// integral would be infinite or undefined) and of the reference mean/std.
// A sample with no non-NaN value gives nullopt for every statistic, never 0.
#include "categorical_drift.h"
#include "ks.h"
#include "missing_share.h"

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace vigil {

inline constexpr int kQuantileBinCount = 10;
inline constexpr double kWassersteinStdFloor = 0.001;

// Built once per reference sample so that each window is scored without re-sorting it.
struct NumericReference
{
    std::vector<double> sorted; // non-NaN values, ascending
    std::size_t rows = 0;       // including NaN
    std::size_t missing = 0;    // NaN count
    // Bin edges: the reference's 10%..90% quantiles of its finite values (numpy 'linear'),
    // duplicates merged. Bin i holds x with edges[i-1] <= x < edges[i]; the first bin is
    // open below and the last open above, so -Inf and +Inf land in the outermost bins.
    std::vector<double> edges;
    std::vector<double> binCounts; // edges.size() + 1 entries
    std::optional<double> mean;    // of the finite values
    std::optional<double> stdDev;  // population (ddof 0) std of the finite values

    static NumericReference build(std::span<const double> values);

    std::span<const double> finiteSorted() const;
};

struct NumericDrift
{
    std::optional<KsResult> ks;
    std::optional<double> wasserstein;       // W1 between the finite parts
    std::optional<double> wassersteinNormed; // W1 / max(reference std, 0.001)
    std::optional<double> psi;
    std::optional<double> jensenShannon;
    std::optional<double> hellinger;
    // Chi-square of the window's counts in the reference's quantile bins against the
    // reference's, sparse bins pooled (pooled_chi_square.h): a second, scale-sensitive test
    // for the drift decision (KS is weak for a change of spread), not reported.
    std::optional<ChiSquareResult> binnedChiSquare;
    MissingShare missing;
};

NumericDrift numericDrift(const NumericReference& ref, std::span<const double> current);

// Building blocks, usable alone.
// W1 = integral |F_a - F_b| over the finite values of two sorted samples
// (scipy.stats.wasserstein_distance); nullopt if either has no finite value.
std::optional<double> wassersteinSorted(std::span<const double> sortedA, std::span<const double> sortedB);
std::optional<double> wasserstein(std::span<const double> a, std::span<const double> b);

// Quantile-bin edges of a sorted, NaN-free sample as described above (empty if the
// sample has no finite value: then everything is one bin).
std::vector<double> quantileBinEdges(std::span<const double> sorted);

// Counts per bin for the given edges; NaN values are skipped.
std::vector<double> countPerBin(std::span<const double> edges, std::span<const double> values);

// The statistics every numeric scoring path derives the same way once KS and W1 are
// known: W1 normed by the reference std, and PSI/JS/Hellinger on the reference bins.
// `currentSorted`: the values are ascending and NaN-free, so the bin counts come from one
// search per edge instead of one per value (the same counts).
void addNormedAndBinned(const NumericReference& ref, std::span<const double> current, NumericDrift& out,
                        bool currentSorted = false);

// The same from the window's counts in the reference's bins (countPerBin summed over the
// chunks of a window too large to hold, engine/window_sketch.h).
void addNormedAndBinnedCounts(const NumericReference& ref, std::span<const double> counts, NumericDrift& out);

// countPerBin for an ascending, NaN-free sample.
std::vector<double> countPerBinSorted(std::span<const double> edges, std::span<const double> sorted);

} // namespace vigil
