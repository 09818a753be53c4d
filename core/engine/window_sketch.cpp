#include "engine/window_sketch.h"

#include "stats/classification.h"
#include "stats/kll_estimates.h"

#include <array>
#include <cmath>
#include <exception>
#include <utility>

namespace vigil {
namespace {

bool isBinary(double v)
{
    return v == 0.0 || v == 1.0;
}

bool hasColumn(std::size_t size, const LogTable& t)
{
    return size == t.rows() && size > 0;
}

} // namespace

Result<WindowSketchBuilder> WindowSketchBuilder::create(const LogTable& schema, std::int64_t startMs,
                                                        std::int64_t windowMs, PredictionKind kind,
                                                        const AnalysisOptions& options,
                                                        std::shared_ptr<const ReferenceProfile> profile,
                                                        WindowSketchOptions sketch)
{
    if (windowMs <= 0)
        return Error{"the window size must be positive, got " + std::to_string(windowMs) + " ms"};
    if (!std::isfinite(options.threshold))
        return Error{"the classification threshold must be a finite number"};
    WindowSketchBuilder b;
    b.m_startMs = startMs;
    b.m_windowMs = windowMs;
    b.m_kind = kind == PredictionKind::Auto ? PredictionKind::Score : kind;
    b.m_threshold = options.threshold;
    b.m_driftOptions = options.drift;
    b.m_options = sketch;
    for (const NumericColumn& k : schema.kpis)
        b.m_kpiNames.push_back(k.name);
    for (const KpiRatio& r : options.kpiRatios) {
        auto parsed = detail::parseRatio(r, b.m_kpiNames);
        if (!parsed)
            return parsed.error();
        b.m_ratios.push_back(std::move(parsed.value()));
    }
    b.m_kpis.resize(b.m_kpiNames.size());
    // Each sketch its own coin stream: one seed per sketch, derived from the builder's.
    std::uint64_t seed = sketch.seed;
    const auto next = [&] { return stats::KllSketch(sketch.k, seed++); };
    b.m_latency = next();
    b.m_positives = next();
    b.m_negatives = next();
    b.m_cbpeScores = next();
    for (const NumericColumn& c : schema.numericFeatures)
        b.m_numeric.push_back({c.name, next(), 0, 0, 0, 0, {}, nullptr});
    b.m_numeric.push_back({"prediction", next(), 0, 0, 0, 0, {}, nullptr});
    b.m_numeric.push_back({"label", next(), 0, 0, 0, 0, {}, nullptr});
    for (const CategoricalColumn& c : schema.categoricalFeatures)
        b.m_categorical.push_back({c.name, {}, 0, 0, {}, nullptr});

    if (profile) {
        if (profile->features.size() < 2)
            return Error{"reference profile: no prediction/label entries"};
        const std::size_t modelFeatures = profile->features.size() - 2;
        const auto find = [&](const std::string& name, bool categorical) -> Result<const ProfileFeature*> {
            for (std::size_t i = 0; i < modelFeatures; ++i) {
                const ProfileFeature& f = profile->features[i];
                if (f.name != name)
                    continue;
                if (f.categorical != categorical)
                    return Error{std::string("reference profile does not fit this log: feature '") + name +
                                 "' is of another kind in the profile"};
                return &f;
            }
            return Error{
                std::string("reference profile does not fit this log: the profile has no feature '") + name +
                "'"};
        };
        for (std::size_t i = 0; i + 2 < b.m_numeric.size(); ++i) {
            auto f = find(b.m_numeric[i].name, false);
            if (!f)
                return f.error();
            b.m_numeric[i].profile = f.value();
        }
        b.m_numeric[b.m_numeric.size() - 2].profile = &profile->features[modelFeatures];
        b.m_numeric.back().profile = &profile->features[modelFeatures + 1];
        for (CategoricalFeature& c : b.m_categorical) {
            auto f = find(c.name, true);
            if (!f)
                return f.error();
            c.profile = f.value();
        }
        if (b.m_numeric.size() - 2 + b.m_categorical.size() != modelFeatures)
            return Error{
                "reference profile does not fit this log: the log lacks some of the profile's features"};
        for (NumericFeature& f : b.m_numeric)
            f.binCounts.assign(f.profile->numeric.edges.size() + 1, 0.0);
        b.m_profile = std::move(profile);
    }
    return b;
}

Result<bool> WindowSketchBuilder::add(const LogTable& table, std::span<const std::uint32_t> rows)
{
    if (m_finished)
        return Error{"window sketch: add() after finish()"};
    if (table.kpis.size() != m_kpis.size() || table.numericFeatures.size() + 2 != m_numeric.size() ||
        table.categoricalFeatures.size() != m_categorical.size())
        return Error{"window sketch: a chunk with another schema"};
    for (const std::uint32_t r : rows)
        if (r >= table.rows())
            return Error{"window sketch: row " + std::to_string(r) + " outside the chunk"};
    try {
        addStats(table, rows);
        if (m_profile) {
            addDrift(table, rows);
            if (auto pca = addPca(table, rows); !pca)
                return pca.error();
        }
    } catch (const std::exception& e) {
        return Error{std::string("window sketch failed: ") + e.what()};
    }
    return true;
}

void WindowSketchBuilder::addStats(const LogTable& t, std::span<const std::uint32_t> rows)
{
    WindowStats& w = m_stats;
    w.rows += rows.size();
    if (hasColumn(t.status.size(), t)) {
        for (const std::uint32_t r : rows) {
            w.statusKnown += t.status[r] != RowStatus::Unknown;
            w.errors += t.status[r] == RowStatus::Error;
        }
    }
    if (hasColumn(t.latencyMs.values.size(), t)) {
        for (const std::uint32_t r : rows) {
            if (!t.latencyMs.valid[r])
                continue;
            const double v = t.latencyMs.values[r];
            w.nonFinite.latency += !std::isfinite(v);
            m_latency.update(v); // NaN is left out, as np.nanpercentile
        }
    }
    const bool hasPrediction = hasColumn(t.prediction.values.size(), t);
    const bool hasLabel = hasColumn(t.label.values.size(), t);
    for (const std::uint32_t r : rows) {
        const bool prediction = hasPrediction && t.prediction.valid[r];
        const bool label = hasLabel && t.label.valid[r];
        if (prediction)
            w.nonFinite.prediction += !std::isfinite(t.prediction.values[r]);
        if (!label)
            continue;
        ++w.labeled;
        const double y = t.label.values[r];
        w.nonFinite.label += !std::isfinite(y);
        if (!prediction) {
            ++m_exclusions.missingPrediction;
            continue;
        }
        const double p = t.prediction.values[r];
        // The same per-row arithmetic, in the same order, as stats::scoreMetrics,
        // classLabelMetrics and regressionMetrics.
        if (m_kind == PredictionKind::Regression) {
            if (!std::isfinite(p) || !std::isfinite(y)) {
                ++m_exclusions.badPair;
                continue;
            }
            const double d = y - p;
            m_absSum += std::abs(d);
            m_sqSum += d * d;
            ++m_used;
            const long double delta = y - m_labelMean;
            m_labelMean += delta / static_cast<long double>(m_used);
            m_labelM2 += delta * (y - m_labelMean);
        } else if (m_kind == PredictionKind::ClassLabel) {
            if (!isBinary(p) || !isBinary(y)) {
                ++m_exclusions.badPair;
                continue;
            }
            ++(p == 1.0 ? (y == 1.0 ? m_confusion.tp : m_confusion.fp)
                        : (y == 1.0 ? m_confusion.fn : m_confusion.tn));
            ++m_used;
        } else {
            if (!std::isfinite(p) || !isBinary(y)) {
                ++m_exclusions.badPair;
                continue;
            }
            const bool positive = y == 1.0;
            ++(p >= m_threshold ? (positive ? m_confusion.tp : m_confusion.fp)
                                : (positive ? m_confusion.fn : m_confusion.tn));
            m_logLossSum += stats::logLossTerm(p, positive);
            const double d = p - y;
            m_brierSum += d * d;
            (positive ? m_positives : m_negatives).update(p);
            ++m_used;
        }
    }
    for (std::size_t k = 0; k < m_kpis.size(); ++k) {
        const NumericColumn& c = t.kpis[k];
        if (!hasColumn(c.values.size(), t))
            continue;
        for (const std::uint32_t r : rows)
            if (c.valid[r])
                m_kpis[k].add(c.values[r]);
    }
}

void WindowSketchBuilder::fillPerformance(WindowStats& w)
{
    PerformanceMetrics& p = w.performance;
    if (m_kind == PredictionKind::Regression) {
        if (m_used == 0)
            return;
        const double count = static_cast<double>(m_used);
        p.mae = m_absSum / count;
        p.rmse = std::sqrt(m_sqSum / count);
        // Welford's running sum of squares in long double instead of analyze()'s second
        // pass over the labels: equal within 1e-12 relative (tested), not bit for bit.
        const auto total = static_cast<double>(m_labelM2);
        if (m_used >= 2 && total > 0.0)
            p.r2 = 1.0 - m_sqSum / total;
        return;
    }
    stats::ClassificationMetrics m;
    m.counts = m_confusion;
    stats::fillConfusionMetrics(m);
    p.accuracy = m.accuracy;
    p.precision = m.precision;
    p.recall = m.recall;
    p.f1 = m.f1;
    if (m_kind == PredictionKind::Score && m_used > 0) {
        p.logLoss = m_logLossSum / static_cast<double>(m_used);
        p.brier = m_brierSum / static_cast<double>(m_used);
        p.rocAuc = stats::rocAucSketch(m_positives.sortedView(), m_negatives.sortedView());
        if (p.rocAuc && !(m_positives.exact() && m_negatives.exact()))
            w.estimates.push_back("performance.roc_auc");
    }
}

Result<SketchedWindow> WindowSketchBuilder::finish()
{
    if (m_finished)
        return Error{"window sketch: finish() called twice"};
    m_finished = true;
    try {
        SketchedWindow out;
        WindowStats& w = out.stats;
        w = std::move(m_stats);
        w.startMs = m_startMs;
        w.endMs = m_startMs + m_windowMs;
        w.throughputPerS = static_cast<double>(w.rows) / (static_cast<double>(m_windowMs) / 1000.0);
        if (w.statusKnown > 0)
            w.errorRate = static_cast<double>(w.errors) / static_cast<double>(w.statusKnown);
        if (!m_latency.empty()) {
            const auto view = m_latency.sortedView();
            w.latencyMs = {view.quantile(0.5), view.quantile(0.9), view.quantile(0.95), view.quantile(0.99)};
            if (!m_latency.exact())
                for (const char* q : {"p50", "p90", "p95", "p99"})
                    w.estimates.push_back(std::string("operations.latency_ms.") + q);
        }
        fillPerformance(w);
        for (std::size_t k = 0; k < m_kpis.size(); ++k) {
            const stats::FiniteAccumulator& acc = m_kpis[k];
            w.kpis.push_back({m_kpiNames[k], acc.sum(), acc.mean(), acc.count(), acc.nonFinite()});
        }
        for (const detail::ParsedRatio& ratio : m_ratios)
            w.ratios.push_back({ratio.name, detail::evaluateRatio(ratio, w)});
        if (m_profile)
            out.drift = finishDrift(w.estimates);
        w.exact = w.estimates.empty();
        out.exclusions = m_exclusions;
        return out;
    } catch (const std::exception& e) {
        return Error{std::string("window sketch failed: ") + e.what()};
    }
}

std::size_t WindowSketchBuilder::memoryBytes() const
{
    std::size_t bytes = sizeof(*this) + m_latency.memoryBytes() + m_positives.memoryBytes() +
                        m_negatives.memoryBytes() + m_cbpeScores.memoryBytes() +
                        m_kpis.capacity() * sizeof(stats::FiniteAccumulator);
    for (const NumericFeature& f : m_numeric)
        bytes += sizeof f + f.finite.memoryBytes() + f.binCounts.capacity() * sizeof(double);
    for (const CategoricalFeature& f : m_categorical) {
        bytes += sizeof f + f.counts.capacity() * sizeof(std::uint64_t);
        for (const std::string& s : f.dictionary)
            bytes += sizeof s + s.capacity();
    }
    return bytes;
}

} // namespace vigil
