#include "stats/classification.h"

#include "drift/sample_prep.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

namespace vigil::stats {
namespace {

bool isBinary(double v)
{
    return v == 0.0 || v == 1.0;
}

std::optional<double> ratio(std::uint64_t num, std::uint64_t den)
{
    if (den == 0)
        return std::nullopt;
    return static_cast<double>(num) / static_cast<double>(den);
}

void count(ConfusionCounts& c, bool predictedPositive, bool positive)
{
    if (predictedPositive)
        ++(positive ? c.tp : c.fp);
    else
        ++(positive ? c.fn : c.tn);
}

} // namespace

// sklearn's log_loss clips to [eps, 1-eps], builds the pair (1-p, p) and
// renormalises it by its sum before taking the log; we do the same arithmetic.
double logLossTerm(double p, bool positive)
{
    constexpr double eps = std::numeric_limits<double>::epsilon();
    p = std::clamp(p, eps, 1.0 - eps);
    const double q = 1.0 - p;
    const double sum = q + p;
    return -std::log((positive ? p : q) / sum);
}

void fillConfusionMetrics(ClassificationMetrics& m)
{
    const ConfusionCounts& c = m.counts;
    m.accuracy = ratio(c.tp + c.tn, c.total());
    m.precision = ratio(c.tp, c.tp + c.fp);
    m.recall = ratio(c.tp, c.tp + c.fn);
    // 2TP / (2TP + FP + FN) equals 2PR/(P+R) where both are defined and is 0
    // (as sklearn reports) when only one of them is undefined.
    m.f1 = ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);
}

std::optional<double> rocAuc(std::span<const double> score, std::span<const double> label)
{
    const std::size_t n = std::min(score.size(), label.size());
    // Positive and negative scores sorted apart (a radix sort: the per-window comparison sort
    // was the analysis' largest cost), then merged: every positive beats the negatives below
    // its score and ties with the negatives at it. Doubled counts keep the sum an exact
    // integer, so the result does not depend on how ties were ordered.
    std::vector<double> pos;
    std::vector<double> neg;
    pos.reserve(n);
    neg.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        (label[i] == 1.0 ? pos : neg).push_back(score[i]);
    if (pos.empty() || neg.empty())
        return std::nullopt;
    const auto hasNan = [](const std::vector<double>& v) {
        return std::any_of(v.begin(), v.end(), [](double x) { return std::isnan(x); });
    };
    if (hasNan(pos) || hasNan(neg))
        return std::nullopt; // no order for NaN: callers pass finite scores
    sortNanFree(pos);
    sortNanFree(neg);
    std::uint64_t twiceWins = 0;
    std::size_t below = 0; // negatives below the current positive score
    for (std::size_t i = 0; i < pos.size();) {
        const double s = pos[i];
        std::size_t j = i;
        while (j < pos.size() && pos[j] == s)
            ++j;
        while (below < neg.size() && neg[below] < s)
            ++below;
        std::size_t atOrBelow = below;
        while (atOrBelow < neg.size() && neg[atOrBelow] == s)
            ++atOrBelow;
        twiceWins += static_cast<std::uint64_t>(j - i) * (2 * below + (atOrBelow - below));
        i = j;
    }
    return static_cast<double>(twiceWins) /
           (2.0 * static_cast<double>(pos.size()) * static_cast<double>(neg.size()));
}

ClassificationMetrics scoreMetrics(std::span<const double> score, std::span<const double> label,
                                   double threshold)
{
    ClassificationMetrics m;
    const std::size_t n = std::min(score.size(), label.size());
    std::vector<double> s, y;
    s.reserve(n);
    y.reserve(n);
    double logLossSum = 0.0, brierSum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(score[i]) || !isBinary(label[i])) {
            ++m.excluded;
            continue;
        }
        const bool positive = label[i] == 1.0;
        count(m.counts, score[i] >= threshold, positive);
        logLossSum += logLossTerm(score[i], positive);
        const double d = score[i] - label[i];
        brierSum += d * d;
        s.push_back(score[i]);
        y.push_back(label[i]);
    }
    m.used = s.size();
    fillConfusionMetrics(m);
    if (m.used > 0) {
        m.logLoss = logLossSum / static_cast<double>(m.used);
        m.brier = brierSum / static_cast<double>(m.used);
        m.rocAuc = rocAuc(s, y);
    }
    return m;
}

ClassificationMetrics classLabelMetrics(std::span<const double> predicted, std::span<const double> label)
{
    ClassificationMetrics m;
    const std::size_t n = std::min(predicted.size(), label.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (!isBinary(predicted[i]) || !isBinary(label[i])) {
            ++m.excluded;
            continue;
        }
        count(m.counts, predicted[i] == 1.0, label[i] == 1.0);
        ++m.used;
    }
    fillConfusionMetrics(m);
    return m;
}

} // namespace vigil::stats
