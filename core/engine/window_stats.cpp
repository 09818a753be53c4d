#include "engine/window_stats.h"

#include "stats/classification.h"
#include "stats/moments.h"
#include "stats/quantile.h"
#include "stats/regression.h"

#include <array>
#include <cmath>

namespace vigil::detail {

PredictionKind resolvePredictionKind(const LogTable& table, PredictionKind requested)
{
    if (requested != PredictionKind::Auto)
        return requested;
    const NumericColumn& p = table.prediction;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const double v = p.values[i];
        if (p.valid[i] && std::isfinite(v) && (v < 0.0 || v > 1.0))
            return PredictionKind::Regression;
    }
    const NumericColumn& l = table.label;
    for (std::size_t i = 0; i < l.size(); ++i) {
        const double v = l.values[i];
        if (l.valid[i] && std::isfinite(v) && v != 0.0 && v != 1.0)
            return PredictionKind::Regression;
    }
    return PredictionKind::Score;
}

WindowStatsBuilder::WindowStatsBuilder(const LogTable& table, const ColumnPresence& columns,
                                       PredictionKind kind, double threshold,
                                       const std::vector<ParsedRatio>& ratios)
    : m_table(table), m_columns(columns), m_kind(kind), m_threshold(threshold), m_ratios(ratios)
{
}

WindowStats WindowStatsBuilder::build(std::span<const std::uint32_t> rows, std::int64_t startMs,
                                      std::int64_t windowMs, Exclusions* exclusions)
{
    WindowStats w;
    w.startMs = startMs;
    w.endMs = startMs + windowMs;
    w.rows = rows.size();
    w.throughputPerS = static_cast<double>(rows.size()) / (static_cast<double>(windowMs) / 1000.0);

    if (m_columns.status) {
        for (std::uint32_t r : rows) {
            const RowStatus s = m_table.status[r];
            w.statusKnown += s != RowStatus::Unknown;
            w.errors += s == RowStatus::Error;
        }
        if (w.statusKnown > 0)
            w.errorRate = static_cast<double>(w.errors) / static_cast<double>(w.statusKnown);
    }

    m_latency.clear();
    if (m_columns.latency) {
        const NumericColumn& c = m_table.latencyMs;
        for (std::uint32_t r : rows) {
            if (!c.valid[r])
                continue;
            const double v = c.values[r];
            w.nonFinite.latency += !std::isfinite(v);
            m_latency.push_back(v);
        }
        static constexpr std::array<double, 4> kQs = {0.5, 0.9, 0.95, 0.99};
        const auto q = stats::quantilesInPlace(m_latency, kQs);
        w.latencyMs = {q[0], q[1], q[2], q[3]};
    }

    m_prediction.clear();
    m_label.clear();
    const NumericColumn& pred = m_table.prediction;
    const NumericColumn& label = m_table.label;
    for (std::uint32_t r : rows) {
        const bool hasPrediction = m_columns.prediction && pred.valid[r];
        const bool hasLabel = m_columns.label && label.valid[r];
        if (hasPrediction)
            w.nonFinite.prediction += !std::isfinite(pred.values[r]);
        if (!hasLabel)
            continue;
        ++w.labeled;
        w.nonFinite.label += !std::isfinite(label.values[r]);
        if (!hasPrediction) {
            if (exclusions)
                ++exclusions->missingPrediction;
            continue;
        }
        m_prediction.push_back(pred.values[r]);
        m_label.push_back(label.values[r]);
    }
    fillPerformance(w, exclusions);

    w.kpis.reserve(m_table.kpis.size());
    for (std::size_t k = 0; k < m_table.kpis.size(); ++k) {
        const NumericColumn& c = m_table.kpis[k];
        stats::FiniteAccumulator acc;
        if (m_columns.kpis[k]) {
            for (std::uint32_t r : rows) {
                if (c.valid[r])
                    acc.add(c.values[r]);
            }
        }
        w.kpis.push_back({c.name, acc.sum(), acc.mean(), acc.count(), acc.nonFinite()});
    }

    w.ratios.reserve(m_ratios.size());
    for (const ParsedRatio& ratio : m_ratios)
        w.ratios.push_back({ratio.name, evaluateRatio(ratio, w)});
    return w;
}

void WindowStatsBuilder::fillPerformance(WindowStats& w, Exclusions* exclusions)
{
    PerformanceMetrics& p = w.performance;
    std::uint64_t excluded = 0;
    if (m_kind == PredictionKind::Regression) {
        const auto m = stats::regressionMetrics(m_prediction, m_label);
        p.mae = m.mae;
        p.rmse = m.rmse;
        p.r2 = m.r2;
        excluded = m.excluded;
    } else {
        const auto m = m_kind == PredictionKind::ClassLabel
                           ? stats::classLabelMetrics(m_prediction, m_label)
                           : stats::scoreMetrics(m_prediction, m_label, m_threshold);
        p.accuracy = m.accuracy;
        p.precision = m.precision;
        p.recall = m.recall;
        p.f1 = m.f1;
        p.rocAuc = m.rocAuc;
        p.logLoss = m.logLoss;
        p.brier = m.brier;
        excluded = m.excluded;
    }
    if (exclusions)
        exclusions->badPair += excluded;
}

} // namespace vigil::detail
