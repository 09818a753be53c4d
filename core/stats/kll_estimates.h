#pragma once
// Two-sample statistics with one side a KLL sketch's weighted distribution
// (docs/SKETCHES.md states each bound). Every function gives the exact statistic when the
// sketch is exact (all weights 1), with the same arithmetic as the exact code paths.
#include "stats/kll_sketch.h"

#include <cstdint>
#include <optional>
#include <span>

namespace vigil::stats {

// KS D = sup |F_ref - G| between a sorted, NaN-free reference (+/-Inf allowed) and a window
// made of `negInf` values -Inf, the sketch's finite values and `posInf` values +Inf (the
// infinities counted exactly by the caller). |D_est - D| <= the sketch's rank error.
// 0 when either side is empty.
double ksStatisticSketch(std::span<const double> sortedRef, const KllSortedView& finite, std::uint64_t negInf,
                         std::uint64_t posInf);

// W1 = integral |F_ref - G| dx between the finite parts: a sorted finite reference and the
// sketch of the window's finite values; nullopt if either is empty.
// |W1_est - W1| <= rank error * (window max - window min).
std::optional<double> wassersteinSketch(std::span<const double> sortedFiniteRef, const KllSortedView& finite);

// ROC AUC = P(score+ > score-) + P(=)/2 from sketches of the positives' and negatives'
// scores; nullopt unless both are non-empty. |AUC_est - AUC| <= eps_pos + eps_neg.
std::optional<double> rocAucSketch(const KllSortedView& positives, const KllSortedView& negatives);

// CBPE's expected ROC AUC (NannyML's estimate_roc_auc: rows by score descending, each row
// p of a positive and 1 - p of a negative, trapezoid area) from a sketch of the scores and
// each sketched value's calibrated probability (`calibrated[i]` for `scores.values()[i]`).
// Equal scores are one step (NannyML steps through them one row at a time and rounds the
// cumulative sums to 5 decimals). nullopt when either expected class total is 0.
std::optional<double> cbpeRocAucSketch(const KllSortedView& scores, std::span<const double> calibrated);

} // namespace vigil::stats
