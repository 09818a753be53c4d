#include "engine/window_accumulator.h"

#include "stats/quantile.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace vigil::detail {

namespace {

bool isBinary(double v)
{
    return v == 0.0 || v == 1.0;
}

void count(stats::ConfusionCounts& c, bool predictedPositive, bool positive)
{
    if (predictedPositive)
        ++(positive ? c.tp : c.fp);
    else
        ++(positive ? c.fn : c.tn);
}

// Merges sorted `from` into sorted `into` from the back: no buffer beyond `into`'s growth.
void mergeInto(std::vector<double>& into, const std::vector<double>& from)
{
    std::size_t i = into.size();
    std::size_t j = from.size();
    into.resize(i + j);
    std::size_t out = into.size();
    while (j > 0) {
        if (i > 0 && into[i - 1] > from[j - 1])
            into[--out] = into[--i];
        else
            into[--out] = from[--j];
    }
}

std::optional<double> ratio(double num, double den)
{
    return den == 0.0 ? std::nullopt : std::optional<double>(num / den);
}

} // namespace

WindowAccumulator::WindowAccumulator(PredictionKind kind, double threshold, std::size_t kpis)
    : m_kind(kind), m_threshold(threshold), m_kpis(kpis)
{
}

void WindowAccumulator::add(const LogTable& table, const ColumnPresence& columns,
                            std::span<const std::uint32_t> rows)
{
    m_rows += rows.size();
    if (columns.status) {
        for (std::uint32_t r : rows) {
            const RowStatus s = table.status[r];
            m_statusKnown += s != RowStatus::Unknown;
            m_errors += s == RowStatus::Error;
        }
    }
    if (columns.latency) {
        const NumericColumn& c = table.latencyMs;
        m_scratch.clear();
        for (std::uint32_t r : rows) {
            if (!c.valid[r])
                continue;
            const double v = c.values[r];
            m_nonFinite.latency += !std::isfinite(v);
            if (!std::isnan(v))
                m_scratch.push_back(v);
        }
        std::sort(m_scratch.begin(), m_scratch.end());
        mergeInto(m_latencyRecent, m_scratch);
        if (m_latencyRecent.size() > m_latencySorted.size() / 8) {
            mergeInto(m_latencySorted, m_latencyRecent);
            m_latencyRecent.clear();
        }
    }
    const NumericColumn& pred = table.prediction;
    const NumericColumn& label = table.label;
    for (std::uint32_t r : rows) {
        const bool hasPrediction = columns.prediction && pred.valid[r];
        const bool hasLabel = columns.label && label.valid[r];
        if (hasPrediction)
            m_nonFinite.prediction += !std::isfinite(pred.values[r]);
        if (!hasLabel)
            continue;
        ++m_labeled;
        m_nonFinite.label += !std::isfinite(label.values[r]);
        if (!hasPrediction) {
            ++m_exclusions.missingPrediction;
            continue;
        }
        addPair(pred.values[r], label.values[r]);
    }
    for (std::size_t k = 0; k < m_kpis.size() && k < table.kpis.size(); ++k) {
        if (!columns.kpis[k])
            continue;
        const NumericColumn& c = table.kpis[k];
        for (std::uint32_t r : rows)
            if (c.valid[r])
                m_kpis[k].add(c.values[r]);
    }
}

void WindowAccumulator::addPair(double prediction, double label)
{
    if (m_kind == PredictionKind::Regression) {
        if (!std::isfinite(prediction) || !std::isfinite(label)) {
            ++m_exclusions.badPair;
            return;
        }
        const double d = label - prediction;
        m_absSum += std::abs(d);
        m_sqSum += d * d;
        m_labelSum += label;
        m_labels.push_back(label);
        ++m_used;
        return;
    }
    if (m_kind == PredictionKind::ClassLabel) {
        if (!isBinary(prediction) || !isBinary(label)) {
            ++m_exclusions.badPair;
            return;
        }
        count(m_counts, prediction == 1.0, label == 1.0);
        ++m_used;
        return;
    }
    if (!std::isfinite(prediction) || !isBinary(label)) {
        ++m_exclusions.badPair;
        return;
    }
    const bool positive = label == 1.0;
    count(m_counts, prediction >= m_threshold, positive);
    m_logLossSum += stats::logLossTerm(prediction, positive);
    const double d = prediction - label;
    m_brierSum += d * d;
    auto& [pos, neg] = m_byScore[prediction];
    ++(positive ? pos : neg);
    ++m_used;
}

WindowStats WindowAccumulator::stats(const LogTable& table, const ColumnPresence& columns,
                                     std::int64_t startMs, std::int64_t windowMs,
                                     const std::vector<ParsedRatio>& ratios, Exclusions* exclusions) const
{
    WindowStats w;
    w.startMs = startMs;
    w.endMs = startMs + windowMs;
    w.rows = m_rows;
    w.throughputPerS = static_cast<double>(m_rows) / (static_cast<double>(windowMs) / 1000.0);
    if (columns.status) {
        w.statusKnown = m_statusKnown;
        w.errors = m_errors;
        if (w.statusKnown > 0)
            w.errorRate = static_cast<double>(w.errors) / static_cast<double>(w.statusKnown);
    }
    if (columns.latency) {
        static constexpr std::array<double, 4> kQs = {0.5, 0.9, 0.95, 0.99};
        const auto q = stats::quantilesSorted(m_latencySorted, m_latencyRecent, kQs);
        w.latencyMs = {q[0], q[1], q[2], q[3]};
    }
    w.labeled = m_labeled;
    w.nonFinite = m_nonFinite;

    PerformanceMetrics& p = w.performance;
    const double used = static_cast<double>(m_used);
    if (m_kind == PredictionKind::Regression) {
        if (m_used > 0) {
            p.mae = m_absSum / used;
            p.rmse = std::sqrt(m_sqSum / used);
        }
        if (m_used >= 2) {
            const double mean = m_labelSum / used;
            double total = 0.0;
            for (double l : m_labels) {
                const double d = l - mean;
                total += d * d;
            }
            if (total > 0.0)
                p.r2 = 1.0 - m_sqSum / total;
        }
    } else {
        stats::ClassificationMetrics m;
        m.counts = m_counts;
        stats::fillConfusionMetrics(m);
        p.accuracy = m.accuracy;
        p.precision = m.precision;
        p.recall = m.recall;
        p.f1 = m.f1;
        if (m_kind != PredictionKind::ClassLabel && m_used > 0) {
            p.logLoss = m_logLossSum / used;
            p.brier = m_brierSum / used;
            // stats::rocAuc's walk over groups of equal score, in ascending order.
            std::uint64_t negativesBelow = 0, positives = 0, twiceWins = 0;
            for (const auto& [score, counts] : m_byScore) {
                const auto [pos, neg] = counts;
                twiceWins += pos * (2 * negativesBelow + neg);
                negativesBelow += neg;
                positives += pos;
            }
            if (positives > 0 && negativesBelow > 0)
                p.rocAuc = ratio(static_cast<double>(twiceWins),
                                 2.0 * static_cast<double>(positives) * static_cast<double>(negativesBelow));
        }
    }
    if (exclusions) {
        exclusions->badPair += m_exclusions.badPair;
        exclusions->missingPrediction += m_exclusions.missingPrediction;
    }

    w.kpis.reserve(table.kpis.size());
    for (std::size_t k = 0; k < table.kpis.size(); ++k) {
        const stats::FiniteAccumulator acc = k < m_kpis.size() ? m_kpis[k] : stats::FiniteAccumulator{};
        w.kpis.push_back({table.kpis[k].name, acc.sum(), acc.mean(), acc.count(), acc.nonFinite()});
    }
    w.ratios.reserve(ratios.size());
    for (const ParsedRatio& r : ratios)
        w.ratios.push_back({r.name, evaluateRatio(r, w)});
    return w;
}

} // namespace vigil::detail
