#pragma once
// CBPE, NannyML's confidence-based performance estimation for binary classifiers
// (docs/DRIFT.md, "Estimated performance"): scores are calibrated on the labelled
// reference, and a window's accuracy, F1 and ROC AUC are the values expected if each
// row's label were drawn with its calibrated probability. Needs no labels in the window.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace vigil {

// sklearn's IsotonicRegression(increasing=True, out_of_bounds='clip'): equal scores are
// merged (mean label, summed weight), the pool-adjacent-violators algorithm makes the means
// non-decreasing, and a score is mapped by linear interpolation between the fitted points,
// clipped to the first/last point outside them.
class IsotonicCalibrator
{
  public:
    // scores and labels (0/1) of equal length, finite; an empty input gives the identity.
    static IsotonicCalibrator fit(std::span<const double> scores, std::span<const double> labels);
    // The same fit for input already in that order: scores ascending, equal scores by label.
    static IsotonicCalibrator fitSorted(std::span<const double> scores, std::span<const double> labels);
    // Rebuild from saved points (ascending x).
    static IsotonicCalibrator fromPoints(std::vector<double> x, std::vector<double> y);

    double operator()(double score) const;
    // The same value, searched from `cursor` (updated): fast for ascending scores.
    double at(double score, std::size_t& cursor) const;
    bool identity() const { return m_x.empty(); }
    const std::vector<double>& x() const { return m_x; }
    const std::vector<double>& y() const { return m_y; }

  private:
    std::vector<double> m_x; // distinct scores, ascending
    std::vector<double> m_y; // fitted probabilities, non-decreasing
};

// NannyML's needs_calibration with one deviation: the 10 test folds are a fixed partition
// (reference row i is in fold i mod 10) instead of StratifiedShuffleSplit(random_state=42).
// No calibration for a single class, fewer than 10 rows, or ROC AUC > 0.999; otherwise the
// held-out scores of all folds are pooled and calibration is used when it lowers the expected
// calibration error (10 equal-count bins over the scores sorted ascending, stable).
bool needsCalibration(std::span<const double> scores, std::span<const double> labels);

// The calibrator CBPE uses for this reference: isotonic when needsCalibration, else identity.
IsotonicCalibrator fitCbpeCalibrator(std::span<const double> scores, std::span<const double> labels);

// NannyML's _calculate_expected_calibration_error with _get_bin_index_edges(n, 10).
// nullopt below 4 rows (NannyML refuses to bin them).
std::optional<double> expectedCalibrationError(std::span<const double> probabilities,
                                               std::span<const double> labels);

struct CbpeEstimate
{
    std::optional<double> accuracy, f1, rocAuc;
};

// Estimates for one window: `scores` are the raw scores (finite), `calibrated` the calibrated
// probabilities of the same rows, predicted class = score >= threshold.
//  accuracy = (E[TP] + E[TN]) / n; F1 = 2 E[TP] / (2 E[TP] + E[FP] + E[FN]) (nullopt if 0/0);
//  ROC AUC as NannyML's estimate_roc_auc: rows by raw score descending (a stable ascending
//  sort reversed), tps = cumsum(p), fps = (1..n) - tps, both with a leading 0 and rounded to
//  5 decimals, normalised by their last value (nullopt if that is 0), trapezoid area.
CbpeEstimate estimateWindow(std::span<const double> scores, std::span<const double> calibrated,
                            double threshold);

// Row indices by score ascending, ties in row order (a stable sort).
std::vector<std::uint32_t> ascendingOrder(std::span<const double> scores);

// estimateWindow with the rows' ascending order given (ascendingOrder(scores)).
CbpeEstimate estimateWindowOrdered(std::span<const double> scores, std::span<const double> calibrated,
                                   std::span<const std::uint32_t> ascending, double threshold);

} // namespace vigil
