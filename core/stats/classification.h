#pragma once
// Binary classification metrics on (score, label) pairs, with sklearn 1.2's
// definitions. Undefined values are nullopt, never 0, so a chart shows a gap
// instead of a fake collapse.
#include <cstdint>
#include <optional>
#include <span>

namespace vigil::stats {

struct ConfusionCounts
{
    std::uint64_t tp = 0, fp = 0, tn = 0, fn = 0;
    std::uint64_t total() const { return tp + fp + tn + fn; }
};

struct ClassificationMetrics
{
    std::uint64_t used = 0;     // rows that entered the metrics
    std::uint64_t excluded = 0; // non-finite score/label, or label not in {0,1}
    ConfusionCounts counts;
    std::optional<double> accuracy, precision, recall, f1;
    std::optional<double> rocAuc, logLoss, brier; // score predictions only
};

// Scores: score >= threshold predicts the positive class (label 1).
ClassificationMetrics scoreMetrics(std::span<const double> score, std::span<const double> label,
                                   double threshold);

// Class-label predictions (already 0/1): a prediction outside {0,1} excludes
// the row like a bad label does. AUC, log loss and Brier stay nullopt.
ClassificationMetrics classLabelMetrics(std::span<const double> predicted, std::span<const double> label);

// One row's log-loss term (score p, finite; label 1 = positive), as scoreMetrics sums it.
double logLossTerm(double p, bool positive);

// The threshold-dependent part, shared by both: accuracy, precision, recall, F1.
void fillConfusionMetrics(ClassificationMetrics& metrics);

// Tie-aware ROC AUC (equal to sklearn.metrics.roc_auc_score): the probability
// that a random positive outranks a random negative, ties counting one half.
// All inputs must be finite and labels 0/1. nullopt unless both classes occur.
std::optional<double> rocAuc(std::span<const double> score, std::span<const double> label);

} // namespace vigil::stats
