#pragma once
// Two-sample Kolmogorov-Smirnov test, two-sided, with the p-value chosen exactly as
// scipy.stats.ks_2samp(method='auto') chooses it (SciPy 1.10):
//  - max(n1, n2) <= 10,000: exact lattice-path count (Hodges 1958; for n1 == n2 the
//    closed-form reflection sum, otherwise Viehmann's numerically stable recursion for
//    1 - P(inside), arXiv:2102.08037). D is then rounded to the lattice, h / lcm(n1, n2).
//    If the exact value is not a finite probability, fall back to the asymptotic one.
//  - otherwise: kolmogorovSf(D, round(n1*n2 / (n1+n2))) (round half to even, as numpy).
// NaN values are dropped before the test (the caller counts them as missing); +/-Inf are
// ordinary values at the ends of the order.
#include <cstdint>
#include <optional>
#include <span>

namespace vigil {

struct KsResult
{
    double statistic = 0.0; // D = sup |F_ref - F_cur|
    double pValue = 1.0;
    bool exact = false; // true when the exact lattice-path distribution was used
};

// Sorts copies of both samples. Empty (after dropping NaN) -> nullopt.
std::optional<KsResult> ksTwoSample(std::span<const double> ref, std::span<const double> cur);

// Both inputs already sorted ascending and free of NaN (e.g. a NumericReference's values).
std::optional<KsResult> ksTwoSampleSorted(std::span<const double> sortedRef,
                                          std::span<const double> sortedCur);

// The p-value step alone, for a D computed elsewhere (n1, n2 > 0, else p is NaN).
KsResult ksTwoSamplePValue(std::int64_t n1, std::int64_t n2, double d);

// Sup-distance between the empirical CDFs of two sorted samples, evaluated the way SciPy
// does (count/n1 - count/n2 at every observed value), so that D is bit-identical.
double ksStatisticSorted(std::span<const double> sortedRef, std::span<const double> sortedCur);

} // namespace vigil
