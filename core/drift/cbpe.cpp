#include "drift/cbpe.h"

#include "drift/sample_prep.h"
#include "stats/classification.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace vigil {

namespace {

// A score with its label and position, sorted (stably) by (score, label): a subset of a
// sorted list is sorted too, so the ten cross-validation fits share one sort. Values, not
// indices, are sorted: no cache miss per comparison.
struct Scored
{
    double score;
    double label;
    std::uint32_t index;
};

std::vector<Scored> sortedScores(std::span<const double> scores, std::span<const double> labels,
                                 std::size_t n)
{
    std::vector<Scored> out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = {scores[i], labels[i], static_cast<std::uint32_t>(i)};
    std::stable_sort(out.begin(), out.end(), [](const Scored& a, const Scored& b) {
        return a.score < b.score || (a.score == b.score && a.label < b.label);
    });
    return out;
}

} // namespace

IsotonicCalibrator IsotonicCalibrator::fit(std::span<const double> scores, std::span<const double> labels)
{
    const std::size_t n = std::min(scores.size(), labels.size());
    // sklearn sorts by (score, label) before merging equal scores; the merged mean does
    // not depend on that order.
    const std::vector<Scored> sorted = sortedScores(scores, labels, n);
    std::vector<double> s(n);
    std::vector<double> y(n);
    for (std::size_t k = 0; k < n; ++k) {
        s[k] = sorted[k].score;
        y[k] = sorted[k].label;
    }
    return fitSorted(s, y);
}

IsotonicCalibrator IsotonicCalibrator::fitSorted(std::span<const double> scores,
                                                 std::span<const double> labels)
{
    IsotonicCalibrator c;
    const std::size_t n = std::min(scores.size(), labels.size());
    if (n == 0)
        return c;
    std::vector<double> x;
    std::vector<double> mean;
    std::vector<double> weight;
    for (std::size_t k = 0; k < n;) {
        const double s = scores[k];
        double sum = 0.0;
        double w = 0.0;
        for (; k < n && scores[k] == s; ++k) {
            sum += labels[k];
            w += 1.0;
        }
        x.push_back(s);
        mean.push_back(sum / w);
        weight.push_back(w);
    }
    // Pool adjacent violators on blocks: each block keeps its weighted sum and weight.
    struct Block
    {
        double sumWy, sumW;
        std::size_t first, last;
        double value() const { return sumWy / sumW; }
    };
    std::vector<Block> blocks;
    for (std::size_t i = 0; i < x.size(); ++i) {
        blocks.push_back({mean[i] * weight[i], weight[i], i, i});
        while (blocks.size() > 1 && blocks[blocks.size() - 2].value() >= blocks.back().value()) {
            const Block b = blocks.back();
            blocks.pop_back();
            blocks.back().sumWy += b.sumWy;
            blocks.back().sumW += b.sumW;
            blocks.back().last = b.last;
        }
    }
    c.m_y.resize(x.size());
    for (const Block& b : blocks)
        std::fill(c.m_y.begin() + static_cast<std::ptrdiff_t>(b.first),
                  c.m_y.begin() + static_cast<std::ptrdiff_t>(b.last) + 1, b.value());
    c.m_x = std::move(x);
    return c;
}

IsotonicCalibrator IsotonicCalibrator::fromPoints(std::vector<double> x, std::vector<double> y)
{
    IsotonicCalibrator c;
    if (x.size() == y.size()) {
        c.m_x = std::move(x);
        c.m_y = std::move(y);
    }
    return c;
}

double IsotonicCalibrator::operator()(double score) const
{
    std::size_t cursor = 0;
    return at(score, cursor);
}

double IsotonicCalibrator::at(double score, std::size_t& cursor) const
{
    if (m_x.empty())
        return score;
    if (!(score > m_x.front()))
        return m_y.front();
    if (!(score < m_x.back()))
        return m_y.back();
    // First point above the score: the segment is [hi - 1, hi]. Searched outwards from the
    // cursor when that lies below the score (ascending queries), else from the start.
    const std::size_t n = m_x.size();
    std::size_t lo = cursor < n && m_x[cursor] <= score ? cursor : 0;
    std::size_t step = 1;
    std::size_t hi = lo + 1;
    while (hi < n && m_x[hi] <= score) {
        lo = hi;
        hi = lo + step;
        step *= 2;
    }
    hi = static_cast<std::size_t>(std::upper_bound(m_x.begin() + static_cast<std::ptrdiff_t>(lo),
                                                   m_x.begin() + static_cast<std::ptrdiff_t>(std::min(hi, n)),
                                                   score) -
                                  m_x.begin());
    cursor = hi - 1;
    lo = hi - 1;
    // scipy's interp1d: slope * (x - x_lo) + y_lo.
    const double slope = (m_y[hi] - m_y[lo]) / (m_x[hi] - m_x[lo]);
    return slope * (score - m_x[lo]) + m_y[lo];
}

std::optional<double> expectedCalibrationError(std::span<const double> probabilities,
                                               std::span<const double> labels)
{
    const std::size_t n = std::min(probabilities.size(), labels.size());
    std::size_t bins = 10;
    if (n <= 2 * bins) {
        bins = n / 2;
        if (bins < 2)
            return std::nullopt;
    }
    // (value, index) pairs: the sort compares values, not indices (no cache miss each).
    std::vector<std::pair<double, std::uint32_t>> sorted(n);
    for (std::size_t i = 0; i < n; ++i)
        sorted[i] = {probabilities[i], static_cast<std::uint32_t>(i)};
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    // _get_bin_index_edges: edges every n / bins rows, the last edge moved to n.
    const std::size_t width = n / bins;
    std::vector<std::size_t> edges;
    for (std::size_t e = 0; e <= n; e += width)
        edges.push_back(e);
    edges.back() = n;
    double ece = 0.0;
    for (std::size_t b = 0; b + 1 < edges.size(); ++b) {
        double p = 0.0;
        double y = 0.0;
        for (std::size_t k = edges[b]; k < edges[b + 1]; ++k) {
            p += sorted[k].first;
            y += labels[sorted[k].second];
        }
        const auto size = static_cast<double>(edges[b + 1] - edges[b]);
        ece += size / static_cast<double>(n) * std::abs(p / size - y / size);
    }
    return ece;
}

bool needsCalibration(std::span<const double> scores, std::span<const double> labels)
{
    constexpr std::size_t kFolds = 10;
    const std::size_t n = std::min(scores.size(), labels.size());
    if (n < kFolds)
        return false;
    const bool hasPositive = std::any_of(labels.begin(), labels.end(), [](double y) { return y >= 0.5; });
    const bool hasNegative = std::any_of(labels.begin(), labels.end(), [](double y) { return y < 0.5; });
    if (!hasPositive || !hasNegative)
        return false;
    const auto auc = stats::rocAuc(scores.first(n), labels.first(n));
    if (auc && *auc > 0.999)
        return false;
    std::vector<double> testLabels;
    std::vector<double> before;
    std::vector<double> after;
    std::vector<double> trainScores;
    std::vector<double> trainLabels;
    const std::vector<Scored> sorted = sortedScores(scores, labels, n);
    for (std::size_t fold = 0; fold < kFolds; ++fold) {
        trainScores.clear();
        trainLabels.clear();
        for (const Scored& v : sorted) {
            if (v.index % kFolds != fold) {
                trainScores.push_back(v.score);
                trainLabels.push_back(v.label);
            }
        }
        const IsotonicCalibrator c = IsotonicCalibrator::fitSorted(trainScores, trainLabels);
        for (std::size_t i = fold; i < n; i += kFolds) {
            testLabels.push_back(labels[i]);
            before.push_back(scores[i]);
            after.push_back(c(scores[i]));
        }
    }
    const auto eceBefore = expectedCalibrationError(before, testLabels);
    const auto eceAfter = expectedCalibrationError(after, testLabels);
    return eceBefore && eceAfter && *eceBefore > *eceAfter;
}

IsotonicCalibrator fitCbpeCalibrator(std::span<const double> scores, std::span<const double> labels)
{
    if (!needsCalibration(scores, labels))
        return {};
    return IsotonicCalibrator::fit(scores, labels);
}

std::vector<std::uint32_t> ascendingOrder(std::span<const double> scores)
{
    if (scores.size() >= 256 &&
        std::none_of(scores.begin(), scores.end(), [](double v) { return std::isnan(v); }))
        return stableAscendingOrder(scores); // the same order, a radix sort instead of a merge sort
    // (score, index) pairs: the sort compares values, not indices (no cache miss each), and
    // the index breaks ties as a stable sort would.
    std::vector<std::pair<double, std::uint32_t>> sorted(scores.size());
    for (std::size_t i = 0; i < scores.size(); ++i)
        sorted[i] = {scores[i], static_cast<std::uint32_t>(i)};
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::uint32_t> order(sorted.size());
    for (std::size_t k = 0; k < sorted.size(); ++k)
        order[k] = sorted[k].second;
    return order;
}

namespace {

// numpy's round(x, 5): scale, round half to even, unscale.
double round5(double x)
{
    return std::nearbyint(x * 1e5) / 1e5;
}

// `ascending`: the rows by score ascending, as a stable sort orders them; walked backwards.
std::optional<double> estimateRocAuc(std::span<const double> p, std::span<const std::uint32_t> ascending)
{
    const std::size_t n = ascending.size();
    std::vector<double> tps(n + 1, 0.0);
    std::vector<double> fps(n + 1, 0.0);
    double cum = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        cum += p[ascending[n - 1 - k]];
        tps[k + 1] = cum;
        fps[k + 1] = static_cast<double>(k + 1) - cum;
    }
    for (std::size_t k = 0; k <= n; ++k) {
        tps[k] = round5(tps[k]);
        fps[k] = round5(fps[k]);
    }
    const double tpTotal = tps[n];
    const double fpTotal = fps[n];
    if (!(tpTotal > 0.0) || !(fpTotal > 0.0))
        return std::nullopt;
    double area = 0.0;
    for (std::size_t k = 1; k <= n; ++k) {
        const double dx = fps[k] / fpTotal - fps[k - 1] / fpTotal;
        area += dx * (tps[k] / tpTotal + tps[k - 1] / tpTotal) / 2.0;
    }
    return area;
}

} // namespace

CbpeEstimate estimateWindow(std::span<const double> scores, std::span<const double> calibrated,
                            double threshold)
{
    const std::size_t n = std::min(scores.size(), calibrated.size());
    return estimateWindowOrdered(scores.first(n), calibrated.first(n), ascendingOrder(scores.first(n)),
                                 threshold);
}

CbpeEstimate estimateWindowOrdered(std::span<const double> scores, std::span<const double> calibrated,
                                   std::span<const std::uint32_t> ascending, double threshold)
{
    CbpeEstimate e;
    const std::size_t n = std::min(scores.size(), calibrated.size());
    if (n == 0 || ascending.size() != n)
        return e;
    double tp = 0.0;
    double fp = 0.0;
    double fn = 0.0;
    double tn = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double p = calibrated[i];
        if (scores[i] >= threshold) {
            tp += p;
            fp += 1.0 - p;
        } else {
            fn += p;
            tn += 1.0 - p;
        }
    }
    e.accuracy = (tp + tn) / static_cast<double>(n);
    const double denominator = tp + 0.5 * (fp + fn);
    if (denominator > 0.0)
        e.f1 = tp / denominator;
    e.rocAuc = estimateRocAuc(calibrated, ascending);
    return e;
}

} // namespace vigil
